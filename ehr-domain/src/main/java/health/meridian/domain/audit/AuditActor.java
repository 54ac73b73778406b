package health.meridian.domain.audit;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who acted (IHE BALP "user" agent): the token's subject and username, their Meridian roles, and the institution
 * they acted for (absent for platform operators).
 */
public record AuditActor(String subject, String username, Set<String> roles, String tenant) {

    public AuditActor {
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
