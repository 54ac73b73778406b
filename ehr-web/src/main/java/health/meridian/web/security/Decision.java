package health.meridian.web.security;

/**
 * A policy decision about one record: permitted with a purpose of use (v3 PurposeOfUse: TREAT, ETREAT for
 * break-the-glass, PATRQT for the patient's own request), or refused with a coded reason.
 */
public record Decision(boolean permitted, String purpose, String reason) {

    static Decision permit(String purpose) {
        return new Decision(true, purpose, null);
    }

    static Decision deny(String reason) {
        return new Decision(false, null, reason);
    }
}
