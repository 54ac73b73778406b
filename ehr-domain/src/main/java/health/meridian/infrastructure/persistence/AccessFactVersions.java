package health.meridian.infrastructure.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The access-fact counter (V29, ADR 0035) as the current transaction saw it. PostgreSQL bumps it in the same
 * transaction as any change of grants, break-the-glass sessions, share codes or the institution registry, and marks
 * that transaction ({@code app.access_facts_written}). What an app instance keeps across requests (a clinician's
 * facts, the institution list) is reused only at the number it was loaded at, and never in a transaction that
 * changed them itself: that one sees its own uncommitted number and may still roll back.
 */
@ApplicationScoped
public class AccessFactVersions {

    /** The columns a binding statement adds to read the counter beside its settings (a select list, no FROM). */
    static final String COLUMNS = "(SELECT version FROM access_fact_version),"
            + " coalesce(current_setting('app.access_facts_written', true), '') = 'on',"
            + " (SELECT version FROM care_relation_version)";

    private static final String SEEN = AccessFactVersions.class.getName() + ".seen";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    /**
     * The counters as seen by this transaction — the access facts' (V29) and the care relations' (V31) —, and
     * {@code writtenHere} if this transaction changed either (then nothing kept is used or filled).
     */
    public record Seen(long version, boolean writtenHere, long careVersion) {

        /** Whether what was loaded at {@code loadedAt} may be used, and what is loaded now may be kept. */
        public boolean reuses(long loadedAt) {
            return !writtenHere && version == loadedAt;
        }

        /** Whether care relations may be kept at all in this transaction (a counter was read, none written here). */
        public boolean keepsCare() {
            return !writtenHere && careVersion >= 0;
        }
    }

    /** The counter as the transaction's last binding statement saw it, else read now (one small statement). */
    public Seen current() {
        Seen seen = active() ? (Seen) transactions.getResource(SEEN) : null;
        if (seen != null) {
            return seen;
        }
        return remember(of((Object[]) em.createNativeQuery("SELECT " + COLUMNS)
                .getSingleResult(), 0));
    }

    /**
     * This transaction changed the institution registry or other facts through the application, perhaps not yet
     * flushed: nothing kept may be used or filled for the rest of it.
     */
    public void writtenHere() {
        remember(new Seen(-1, true, -1));
    }

    /** Keeps what a statement of this transaction saw; once written here, the transaction stays so. */
    Seen remember(Seen seen) {
        if (!active()) {
            return seen;
        }
        Seen before = (Seen) transactions.getResource(SEEN);
        Seen kept = before != null && before.writtenHere() ? new Seen(seen.version(), true, seen.careVersion()) : seen;
        transactions.putResource(SEEN, kept);
        return kept;
    }

    /** The counter columns of a result row, from column {@code from}; without a counter row nothing is reused. */
    static Seen of(Object[] row, int from) {
        if (row[from] == null) {
            return new Seen(-1, true, -1);
        }
        long care = row.length > from + 2 && row[from + 2] != null ? ((Number) row[from + 2]).longValue() : -1;
        return new Seen(((Number) row[from]).longValue(), Boolean.TRUE.equals(row[from + 1]), care);
    }

    private boolean active() {
        return transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
    }
}
