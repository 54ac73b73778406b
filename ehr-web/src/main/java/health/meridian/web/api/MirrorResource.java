package health.meridian.web.api;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.web.admin.PlatformOperations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/admin/mirror/verify[?repair=true]}: database-vs-index reconciliation (platform admins); both
 * operations are audited ({@link PlatformOperations}).
 */
@Path("admin/mirror")
@Produces(MediaType.APPLICATION_JSON)
public class MirrorResource {

    @Inject
    PlatformOperations operations;

    /**
     * {@code POST /api/admin/mirror/reindex}: rebuilds the index from PostgreSQL into a new index and swaps the
     * alias (no downtime; writes during the rebuild reach both indexes). 409 if a rebuild is already running.
     */
    @POST
    @Path("reindex")
    @RolesAllowed("platform-admin")
    public Response reindex() {
        try {
            return Response.ok(operations.reindex()).build();
        } catch (IndexUnavailableException e) {
            return Response.status(503).entity(new ApiExceptionMapper.ApiError("EHR-0520",
                    "EHR-0520 search index unreachable: " + e.getMessage())).build();
        } catch (IllegalStateException e) {
            return Response.status(409).entity(new ApiExceptionMapper.ApiError("EHR-0230", e.getMessage())).build();
        }
    }

    @POST
    @Path("verify")
    @RolesAllowed("platform-admin")
    public Response verify(@QueryParam("repair") @DefaultValue("false") boolean repair) {
        try {
            return Response.ok(operations.verifyIndex(repair)).build();
        } catch (IndexUnavailableException e) {
            return Response.status(503).entity(new ApiExceptionMapper.ApiError("EHR-0520",
                    "EHR-0520 search index unreachable: " + e.getMessage())).build();
        }
    }
}
