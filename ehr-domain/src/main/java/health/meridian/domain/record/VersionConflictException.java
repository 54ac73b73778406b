package health.meridian.domain.record;

/** A conditional write whose expected version is not the current one (HTTP 412 Precondition Failed). */
public class VersionConflictException extends RuntimeException {

    public VersionConflictException(String message) {
        super(message);
    }
}
