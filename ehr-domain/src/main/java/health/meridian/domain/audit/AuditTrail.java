package health.meridian.domain.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The append-only, hash-chained audit trail. {@link #append} joins the caller's transaction, so an access and
 * its audit event commit or roll back together. Reads see only what row-level security lets the bound caller see,
 * with the columns naming a patient the caller may not see redacted before any filter applies (a filter never
 * matches what the caller is then shown redacted).
 */
public interface AuditTrail {

    void append(AuditRecord record);

    /** Appends several events at once (one response that disclosed several patients), in list order. */
    void appendAll(List<AuditRecord> records);

    /**
     * Appends a refused access to the record {@code type/id}: once per institution holding such a record about a
     * person, naming that custodian, person and patient (looked up past row-level security, so the patient's access
     * log shows the attempt; nothing of it is returned to the caller), or once as given if none is held.
     */
    void appendRefusal(AuditRecord refused, String type, String id);

    Optional<AuditEntry> entry(long seq);

    /** Newest first; each filter may be null ({@code patientRef} is {@code Patient/<id>} at its custodian). */
    List<AuditEntry> entries(String personId, String patientRef, Instant from, Instant to, int limit);

    /** Newest first, what the filter asks for among what row-level security lets the bound caller see. */
    List<AuditEntry> search(AuditFilter filter);

    /**
     * Recomputes the whole hash chain (every institution's rows, in the database, as the schema owner) and returns
     * only the verdict. Costs a full pass over the trail: an explicit administrator action, not a per-request check.
     */
    ChainVerdict verifyChain();
}
