package health.meridian.domain.audit;

/** FHIR R4 audit-event-outcome: 0 success, 4 minor failure (refused, not found), 8 serious, 12 major failure. */
public enum AuditOutcome {
    SUCCESS("0"), MINOR_FAILURE("4"), SERIOUS_FAILURE("8"), MAJOR_FAILURE("12");

    private final String code;

    AuditOutcome(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static AuditOutcome ofCode(String code) {
        for (AuditOutcome o : values()) {
            if (o.code.equals(code)) {
                return o;
            }
        }
        throw new IllegalArgumentException("EHR-0703 unknown audit outcome " + code);
    }
}
