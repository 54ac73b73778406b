package health.meridian.web.identity;

/** The identity provider's admin API is not configured or did not answer as expected (503). */
public class UserDirectoryUnavailableException extends RuntimeException {

    public UserDirectoryUnavailableException(String message) {
        super(message);
    }

    public UserDirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
