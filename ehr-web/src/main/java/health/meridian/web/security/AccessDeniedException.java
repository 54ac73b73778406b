package health.meridian.web.security;

/** The caller is authenticated but not allowed to do this. Mapped to 403 (or 404 where existence must not leak). */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
