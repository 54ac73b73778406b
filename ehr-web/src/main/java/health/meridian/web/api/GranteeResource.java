package health.meridian.web.api;

import health.meridian.web.security.GrantService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/grantees?q=}: institutions and care professionals a patient can grant access to, across
 * institutions and countries (match on name, id, institution or country), each with its country and whether a
 * grant to it would be cross-border for this patient's record.
 */
@Path("grantees")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class GranteeResource {

    @Inject
    GrantService grants;

    @GET
    public List<GrantService.GranteeOption> search(@QueryParam("q") String q) {
        return grants.grantees(q);
    }
}
