package health.meridian.web.api;

import health.meridian.web.health.OperatorHealth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/admin/health}: the readiness checks with their figures (schema version, outbox depth and age,
 * person documents, errors), platform admins only. The unauthenticated {@code /health/ready} carries the statuses
 * only; this answers 503 like it when a check is down.
 */
@Path("admin/health")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorHealthResource {

    @Inject
    OperatorHealth health;

    @GET
    @RolesAllowed("platform-admin")
    public Response details() {
        OperatorHealth.Report report = health.report();
        return Response.status("UP".equals(report.status()) ? 200 : 503).entity(report).build();
    }
}
