package health.meridian.domain.access;

import java.util.Collection;
import java.util.Map;

/**
 * The names of staff who used Meridian, by the token subject the audit trail records (issue #20: screens name
 * people, not usernames). Each staff member enters themselves from their validated token; patients never do.
 */
public interface StaffNames {

    /** Who a token subject is: their display name, role and institution (null for a platform-level role). */
    record Entry(String subject, String displayName, String role, String tenant) {
    }

    /** Enters or refreshes the caller's own entry (the transaction must be bound to {@code self.subject()}). */
    void enter(Entry self);

    /** The entries of those subjects that have one. */
    Map<String, Entry> of(Collection<String> subjects);
}
