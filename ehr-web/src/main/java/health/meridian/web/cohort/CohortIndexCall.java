package health.meridian.web.cohort;

import health.meridian.domain.search.IndexUnavailableException;

/** A call to the cohort index whose unavailability is answered as 503 ({@link CohortIndexUnavailableException}). */
interface CohortIndexCall<T> {

    T call() throws IndexUnavailableException;

    static <T> T unchecked(CohortIndexCall<T> call) {
        try {
            return call.call();
        } catch (IndexUnavailableException e) {
            throw new CohortIndexUnavailableException(e);
        }
    }
}
