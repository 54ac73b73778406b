package health.meridian.web.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** 413: the request body exceeds the configured limit. */
public class PayloadTooLargeException extends BaseServerResponseException {

    public PayloadTooLargeException(String message) {
        super(413, message);
    }
}
