package health.meridian.domain.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The append-only, hash-chained audit trail. {@link #append} joins the caller's transaction, so an access and
 * its audit event commit or roll back together. Reads see only what row-level security lets the bound caller see.
 */
public interface AuditTrail {

    void append(AuditRecord record);

    Optional<AuditEntry> entry(long seq);

    /** Newest first; each filter may be null ({@code patientRef} is {@code Patient/<id>} at its custodian). */
    List<AuditEntry> entries(String personId, String patientRef, Instant from, Instant to, int limit);
}
