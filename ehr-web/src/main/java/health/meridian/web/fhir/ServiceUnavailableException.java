package health.meridian.web.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** 503: a dependency (the search mirror) is down; the client may retry. */
public class ServiceUnavailableException extends BaseServerResponseException {

    public ServiceUnavailableException(String message) {
        super(503, message);
    }
}
