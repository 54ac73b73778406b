package health.meridian.domain.audit;

import java.time.Instant;

/**
 * What an audit-trail search asks for: every field may be null (no restriction). {@code user} matches the
 * username or the token subject; {@code beforeSeq} pages backwards (entries come newest first); {@code limit}
 * is the page size.
 */
public record AuditFilter(String user, String personId, String patientRef, AuditAction action, AuditOutcome outcome,
                          String purpose, Instant from, Instant to, Long beforeSeq, int limit) {

    public AuditFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("EHR-0706 an audit search returns at least one entry per page");
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("EHR-0707 the audit search period must end after it starts");
        }
    }
}
