package health.meridian.domain.cohort;

/** A coded concept as {@code system|code}. */
public record Code(String system, String code) {

    public Code {
        if (system == null || system.isBlank() || code == null || code.isBlank()) {
            throw new InvalidCohortException("EHR-0808 a code is system|code, both parts present");
        }
    }

    public static Code parse(String token) {
        int bar = token == null ? -1 : token.indexOf('|');
        if (bar <= 0 || bar == token.length() - 1) {
            throw new InvalidCohortException("EHR-0808 a code is system|code, both parts present: " + token);
        }
        return new Code(token.substring(0, bar), token.substring(bar + 1));
    }

    public String token() {
        return system + "|" + code;
    }
}
