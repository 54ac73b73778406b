package health.meridian.domain.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A failed login recorded by the identity provider (Keycloak LOGIN_ERROR / CLIENT_LOGIN_ERROR): when, which user
 * was attempted (the typed username; the user id when the identity provider knew the user), through which client,
 * from which address, and why it failed. {@code eventKey} identifies the event at the identity provider, so that it
 * is imported into the audit trail once.
 */
public record LoginFailure(String eventKey, Instant time, String type, String userId, String username,
                           String clientId, String ipAddress, String error, String grantType) {

    /** The audit trail's subject for an attempt on a user the identity provider does not know. */
    public static final String UNKNOWN_USER = "unknown-user";

    public LoginFailure {
        Objects.requireNonNull(time, "time");
        if (eventKey == null || eventKey.isBlank() || eventKey.length() > 200) {
            throw new IllegalArgumentException("EHR-0711 a login failure needs the identity provider's event key");
        }
    }

    /**
     * The BALP-shaped audit event: action E, interaction {@code login}, outcome minor failure, who = the attempted
     * user. No institution: which tenant a user belongs to is not part of the event, so this is a platform-level
     * audit row (never a default tenant).
     */
    public AuditRecord auditRecord() {
        String subject = userId == null || userId.isBlank() ? UNKNOWN_USER : userId;
        AuditActor who = new AuditActor(subject, username, Set.of(), null);
        return AuditRecord.of(who, AuditAction.E, "login", null, null)
                .refused("EHR-0710 login failed: " + orUnknown(error) + " (" + type + ", client " + orUnknown(clientId)
                        + (grantType == null ? "" : ", grant " + grantType) + ", from " + orUnknown(ipAddress)
                        + ", event " + eventKey + ")");
    }

    private static String orUnknown(String s) {
        return s == null || s.isBlank() ? "unknown" : s;
    }
}
