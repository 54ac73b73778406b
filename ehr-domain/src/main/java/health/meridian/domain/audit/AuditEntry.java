package health.meridian.domain.audit;

import java.time.Instant;

/** A stored audit event: its place in the chain (seq, hash) and when it was recorded. */
public record AuditEntry(long seq, Instant recordedAt, AuditRecord record, String hash) {
}
