package health.meridian.domain.search;

/** The search mirror cannot be reached or refused the request; callers fail fast or fall back to Postgres. */
public class IndexUnavailableException extends Exception {

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
