package health.meridian.web.security;

/** No valid token: 401. */
public class NotAuthenticatedException extends RuntimeException {

    public NotAuthenticatedException(String message) {
        super(message);
    }
}
