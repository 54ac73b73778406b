package health.meridian.web.cohort;

import health.meridian.domain.search.IndexUnavailableException;

/** The mirror is unreachable: cohort queries answer 503 (the record store has no population index). */
public final class CohortIndexUnavailableException extends RuntimeException {

    CohortIndexUnavailableException(IndexUnavailableException cause) {
        super("EHR-0840 the search mirror is unavailable; cohort queries need it", cause);
    }
}
