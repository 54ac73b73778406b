package health.meridian.web.api;

import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.admin.PlatformOperations;
import health.meridian.web.record.TenantService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Institutions (tenants): anyone signed in may list them (to choose a grantee); only a platform admin adds one, and
 * every registration is audited ({@link PlatformOperations}).
 */
@Path("tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    @Inject
    TenantService tenants;
    @Inject
    PlatformOperations operations;

    public record TenantView(String id, String name, String country, String region) {
        static TenantView of(Institution i) {
            return new TenantView(i.id().value(), i.name(), i.country(), i.region());
        }
    }

    public record TenantForm(String name, String country, String region) {
    }

    @GET
    @RolesAllowed({"clinician", "nurse", "tenant-admin", "platform-admin", "patient", "researcher"})
    public List<TenantView> list() {
        return tenants.all().stream().map(TenantView::of).toList();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed("platform-admin")
    public Response register(@PathParam("id") String id, TenantForm form) {
        if (form == null) {
            throw new IllegalArgumentException("EHR-0105 a body with name, country and region is required");
        }
        boolean created = operations.registerInstitution(new Institution(TenantId.of(id), form.name(), form.country(),
                form.region()));
        return Response.status(created ? 201 : 200).entity(TenantView.of(tenants.find(TenantId.of(id)))).build();
    }
}
