package health.meridian.web.cohort;

import health.meridian.domain.search.IndexUnavailableException;

/**
 * The cohort index cannot answer: cohort queries answer 503 (the record store has no population index). An index
 * from an older mapping version says so (EHR-0842: the operator's next step); any other cause is answered with the
 * generic message, without the client library's details.
 */
public final class CohortIndexUnavailableException extends RuntimeException {

    CohortIndexUnavailableException(IndexUnavailableException cause) {
        super(message(cause), cause);
    }

    static String message(IndexUnavailableException cause) {
        String m = cause.getMessage();
        return m != null && m.startsWith("EHR-0842 ") ? m
                : "EHR-0840 the search mirror is unavailable; cohort queries need it";
    }
}
