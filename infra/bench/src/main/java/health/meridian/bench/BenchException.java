package health.meridian.bench;

/** A failure of the CLI with a stable code (BENCH-0xxx) that scripts and tests can rely on. */
public class BenchException extends RuntimeException {

    public BenchException(String codeAndMessage) {
        super(codeAndMessage);
    }

    public BenchException(String codeAndMessage, Throwable cause) {
        super(codeAndMessage, cause);
    }
}
