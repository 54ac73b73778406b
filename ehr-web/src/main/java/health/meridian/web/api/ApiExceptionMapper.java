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

    public record ApiError(String code, String message) {
    }

    /** The status and body for an exception (pure, so that it can be tested without a JAX-RS runtime). */
    record Answer(int status, ApiError error, Long retryAfterSeconds) {
    }

    @Override
    public Response toResponse(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException w) {
            Response given = w.getResponse();
            ApiError framework = given.hasEntity() ? null : framework(given.getStatus());
            if (framework == null) {
                return given;
            }
            // the framework's own refusals (no such path, method, type) in the API's shape, its headers (Allow) kept
            Response.ResponseBuilder r = Response.status(given.getStatus()).type(MediaType.APPLICATION_JSON)
                    .entity(framework);
            given.getStringHeaders().forEach((name, values) -> {
                if (!"Content-Type".equalsIgnoreCase(name)) {
                    values.forEach(v -> r.header(name, v));
                }
            });
            return r.build();
        }
        Answer a = answer(e);
        Response.ResponseBuilder r = Response.status(a.status()).type(MediaType.APPLICATION_JSON).entity(a.error());
        if (a.retryAfterSeconds() != null) {
            r.header("Retry-After", a.retryAfterSeconds());
        }
        return r.build();
    }

    /**
     * The JSON error for a refusal JAX-RS makes before any resource runs (without a body, the server would answer
     * its HTML error page), or null to leave the response as it is.
     */
    static ApiError framework(int status) {
        return switch (status) {
            case 404 -> new ApiError("EHR-0190", "EHR-0190 no such API path");
            case 405 -> new ApiError("EHR-0191", "EHR-0191 this method is not allowed on this API path (see Allow)");
            case 406 -> new ApiError("EHR-0192", "EHR-0192 this API answers application/json only");
            case 415 -> new ApiError("EHR-0193", "EHR-0193 this API takes application/json; a request without a body"
                    + " needs no Content-Type");
            default -> null;
        };
    }

    static Answer answer(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean coded = message.startsWith("EHR-");
        String code = coded ? message.substring(0, 8) : "EHR-0500";
        if (e instanceof health.meridian.web.portal.TooManyAttemptsException t) {
            return new Answer(429, new ApiError(code, message), (long) t.retryAfterSeconds());
        }
        int status = e instanceof AccessDeniedException ? 403
                : e instanceof health.meridian.web.cohort.CohortIndexUnavailableException ? 503
                : e instanceof health.meridian.web.identity.UserDirectoryUnavailableException ? 503
                : e instanceof health.meridian.web.record.TimelineService.PatientNotVisibleException ? 404
                : e instanceof IllegalArgumentException && coded ? 400
                : e instanceof java.util.NoSuchElementException && coded ? 404
                : e instanceof IllegalStateException && coded ? 409 : 500;
        if (!coded) {
            return new Answer(status, new ApiError("EHR-0500", Incidents.record(e)), null);
        }
        return new Answer(status, new ApiError(code, message), null);
    }
}
