package health.meridian.domain.cohort;

/** A cohort definition that cannot be evaluated; the message starts with its stable code (EHR-08xx). */
public class InvalidCohortException extends IllegalArgumentException {

    public InvalidCohortException(String codeAndMessage) {
        super(codeAndMessage);
    }
}
