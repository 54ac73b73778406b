package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.web.security.AccessDeniedException;
import health.meridian.web.security.NotAuthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Turns the application's exceptions into FHIR responses with an OperationOutcome and the right status code. An
 * unexpected failure is a 500 with a generic diagnostic and an incident id; the exception goes to the server log.
 */
@Interceptor
@ApplicationScoped
public class ExceptionTranslationInterceptor {


    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception,
                                                 HttpServletRequest servletRequest) {
        return asFhir(exception);
    }

    /** The FHIR error (status and message) for an exception, as a response or a batch entry's answer. */
    public static BaseServerResponseException asFhir(Throwable exception) {
        Throwable cause = rootOf(exception);
        if (cause instanceof BaseServerResponseException fhirError) {
            return fhirError;
        }
        if (cause instanceof health.meridian.web.security.RequestSizeLimitFilter.TooLargeException) {
            return new PayloadTooLargeException(cause.getMessage());
        }
        if (cause instanceof NotAuthenticatedException) {
            return new AuthenticationException(cause.getMessage());
        }
        if (cause instanceof health.meridian.web.record.RecordService.UnknownIdException) {
            return new ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException(cause.getMessage());
        }
        if (cause instanceof health.meridian.domain.record.VersionConflictException) {
            return new ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException(cause.getMessage());
        }
        if (cause instanceof AccessDeniedException) {
            return new ForbiddenOperationException(cause.getMessage());
        }
        if (cause instanceof IndexUnavailableException) {
            return new ServiceUnavailableException(cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                && cause.getMessage().startsWith("EHR-")) {
            return new InvalidRequestException(cause.getMessage());
        }
        if (cause.getMessage() != null && cause.getMessage().startsWith("EHR-")) {
            return new InternalErrorException(cause.getMessage());
        }
        return new InternalErrorException(health.meridian.web.api.Incidents.record(exception));
    }

    /**
     * The application's own exception: HAPI wraps what a provider throws in an InternalErrorException (500), so the
     * walk goes through that wrapper and stops only at a FHIR exception a provider threw on purpose.
     */
    private static Throwable rootOf(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c
                && !(c instanceof BaseServerResponseException && !(c instanceof InternalErrorException))) {
            c = c.getCause();
        }
        return c;
    }
}
