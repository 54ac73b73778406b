package health.meridian.domain.audit;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who acted (IHE BALP "user" agent): the token's subject and username, their Meridian roles, and the institution
 * they acted for (absent for platform operators); and the registered SMART app the token was issued to, its client
 * id and name (ADR 0031; absent for Meridian's own clients).
 */
public record AuditActor(String subject, String username, Set<String> roles, String tenant, String appClientId,
                         String appName) {

    /** Someone acting through one of Meridian's own clients (no registered app). */
    public AuditActor(String subject, String username, Set<String> roles, String tenant) {
        this(subject, username, roles, tenant, null, null);
    }

    public AuditActor {
        if ((appClientId == null) != (appName == null)) {
            throw new IllegalArgumentException("EHR-1186 an app in the audit trail has a client id and a name");
        }
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("EHR-0704 an audit event always names who acted");
        }
        roles = Set.copyOf(roles);
    }

    /** Roles as stored: sorted, comma-separated. */
    public String rolesText() {
        return String.join(",", new TreeSet<>(roles));
    }
}
