package health.meridian.web.api;

import health.meridian.web.security.AccessDeniedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON API errors: {@code {"code":"EHR-0105","message":"..."}} with 400 for bad input, 403 for refusals, 404 for
 * what does not exist (or is not the caller's), 409 for a state conflict (e.g. revoking twice, or a cross-border
 * grant not yet confirmed), 429 for too many failed share-code redemptions. Anything unexpected is 500 with a
 * generic message and an incident id; the exception (which may name SQL, tables or hosts) goes to the server log only.
 */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<RuntimeException> {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(
            ApiExceptionMapper.class.getName());

    public record ApiError(String code, String message) {
    }

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException w) {
            return w.getResponse();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String code = message.startsWith("EHR-") ? message.substring(0, 8) : "EHR-0500";
        boolean coded = message.startsWith("EHR-");
        if (e instanceof health.meridian.web.portal.TooManyAttemptsException t) {
            return Response.status(429).header("Retry-After", t.retryAfterSeconds()).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError(code, message)).build();
        }
        int status = e instanceof AccessDeniedException ? 403
                : e instanceof health.meridian.web.cohort.CohortIndexUnavailableException ? 503
                : e instanceof health.meridian.web.identity.UserDirectoryUnavailableException ? 503
                : e instanceof health.meridian.web.record.TimelineService.PatientNotVisibleException ? 404
                : e instanceof IllegalArgumentException && coded ? 400
                : e instanceof java.util.NoSuchElementException && coded ? 404
                : e instanceof IllegalStateException && coded ? 409 : 500;
        if (status == 500) {
            String incident = java.util.UUID.randomUUID().toString();
            LOG.log(java.util.logging.Level.SEVERE, "EHR-0500 incident " + incident, e);
            return Response.status(500).type(MediaType.APPLICATION_JSON).entity(new ApiError("EHR-0500",
                    "EHR-0500 the server failed unexpectedly; the details are in the server log under incident "
                            + incident)).build();
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code, message)).build();
    }
}
