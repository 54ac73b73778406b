package health.meridian.web.security;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditFilter;
import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.audit.ChainVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reading the audit trail: tenant admins see the entries of their institution (as actor or custodian), patients
 * the entries about themselves, platform admins the platform-level entries (about no institution and no patient,
 * e.g. failed logins); row-level security enforces all three. What a reader may not see of a row (whose record
 * it was, when that is neither the reader's institution's record nor the reader's own) is redacted in the query
 * itself (the view audit_event_seen, V13), and every filter applies to the redacted columns: a reader can only
 * filter by what they see. Reading the trail is itself audited.
 */
@ApplicationScoped
@Transactional
public class AuditQueryService {

    private static final int MAX = 500;

    @Inject
    AuditTrail trail;
    @Inject
    AccessContext access;
    @Inject
    AccessSeam seam;
    @Inject
    health.meridian.web.ledger.LedgerVerification ledgerVerification;
    @Inject
    AccessPolicy policy;
    @Inject
    health.meridian.domain.access.StaffNames staffNames;
    @Inject
    health.meridian.domain.record.RecordRepository records;

    public Optional<AuditEntry> entry(long seq) {
        AccessSeam.Acting acting = reader("read", Long.toString(seq));
        Optional<AuditEntry> entry = trail.entry(seq).filter(e -> visible(acting.caller(), e));
        acting.done(e -> e);
        return entry;
    }

    public List<AuditEntry> search(String patientRef, Instant from, Instant to, int count) {
        AccessSeam.Acting acting = reader("search-type", null);
        Caller caller = acting.caller();
        String person = caller.hasRole("patient") ? caller.personId().orElseThrow() : null;
        List<AuditEntry> entries = trail.entries(person, patientRef, from, to, Math.min(Math.max(count, 1), MAX));
        acting.done(e -> e.withQuery("patient=" + patientRef + "&from=" + from + "&to=" + to));
        return entries;
    }

    /**
     * The admin console's audit search: {@code filter} narrowed to the caller's own person for a patient, row-level
     * security doing the rest (tenant admins: their institution; platform admins: platform-level entries).
     */
    public NamedEntries search(AuditFilter filter) {
        AccessSeam.Acting acting = reader("search-type", null);
        Caller caller = acting.caller();
        AuditFilter f = caller.hasRole("patient") ? new AuditFilter(filter.user(), caller.personId().orElseThrow(),
                filter.patientRef(), filter.action(), filter.outcome(), filter.purpose(), filter.from(), filter.to(),
                filter.beforeSeq(), filter.limit()) : filter;
        List<AuditEntry> entries = trail.search(f);
        NamedEntries named = named(acting, entries);
        acting.done(e -> e.withQuery(describe(filter)));
        return named;
    }

    /**
     * The entries with the names their reader may see: who acted (staff names by subject) and, through the seam,
     * the patients the reader's institution holds (issue #20).
     */
    public NamedEntries named(AccessSeam.Acting acting, List<AuditEntry> entries) {
        return new NamedEntries(entries,
                staffNames.of(entries.stream().map(e -> e.record().actor().subject()).toList()),
                acting.patientsNamed(entries.stream().map(e -> e.record().patientRef()).toList(), records::current));
    }

    /**
     * Recomputes the whole audit hash chain (platform admins only). The verification itself is audited with its
     * verdict, as is a refusal.
     */
    public ChainVerdict verifyChain() {
        AccessSeam.Acting acting = seam.acting(AuditAction.E, "audit-verify", "AuditEvent", null, caller -> {
            policy.requireAuditChainVerifier(caller);
            return AccessSeam.Bound.none();
        });
        ChainVerdict verdict = ledgerVerification.verify();
        acting.done(e -> e.withDetail(verdict.toString()));
        return verdict;
    }

    public static int maxPage() {
        return MAX;
    }

    private static String describe(AuditFilter f) {
        return "user=" + f.user() + "&patient=" + f.patientRef() + "&action=" + f.action() + "&outcome="
                + (f.outcome() == null ? null : f.outcome().code()) + "&from=" + f.from() + "&to=" + f.to()
                + "&before=" + f.beforeSeq() + "&count=" + f.limit();
    }

    /** A patient sees only entries about their own person, even if RLS would also show their own actions. */
    private static boolean visible(Caller caller, AuditEntry e) {
        return !caller.hasRole("patient") || caller.personId().orElseThrow().equals(e.record().personId());
    }

    /** Reading the trail, through the seam: {@link AccessContext#bindForAudit} decides and binds what it shows. */
    private AccessSeam.Acting reader(String interaction, String id) {
        return seam.acting(AuditAction.R, interaction, "AuditEvent", id, caller -> {
            access.bindForAudit(caller);
            return AccessSeam.Bound.none();
        });
    }
}
