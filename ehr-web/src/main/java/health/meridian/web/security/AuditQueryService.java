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
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;
    @Inject
    AccessPolicy policy;

    public Optional<AuditEntry> entry(long seq) {
        Caller caller = bind("read");
        Optional<AuditEntry> entry = trail.entry(seq).filter(e -> visible(caller, e));
        audit.accessed(AuditRecorder.event(caller, AuditAction.R, "read", "AuditEvent", Long.toString(seq)));
        return entry;
    }

    public List<AuditEntry> search(String patientRef, Instant from, Instant to, int count) {
        Caller caller = bind("search-type");
        String person = caller.hasRole("patient") ? caller.personId().orElseThrow() : null;
        List<AuditEntry> entries = trail.entries(person, patientRef, from, to, Math.min(Math.max(count, 1), MAX));
        audit.accessed(AuditRecorder.event(caller, AuditAction.R, "search-type", "AuditEvent", null)
                .withQuery("patient=" + patientRef + "&from=" + from + "&to=" + to));
        return entries;
    }

    /**
     * The admin console's audit search: {@code filter} narrowed to the caller's own person for a patient, row-level
     * security doing the rest (tenant admins: their institution; platform admins: platform-level entries).
     */
    public List<AuditEntry> search(AuditFilter filter) {
        Caller caller = bind("search-type");
        AuditFilter f = caller.hasRole("patient") ? new AuditFilter(filter.user(), caller.personId().orElseThrow(),
                filter.patientRef(), filter.action(), filter.outcome(), filter.purpose(), filter.from(), filter.to(),
                filter.beforeSeq(), filter.limit()) : filter;
        List<AuditEntry> entries = trail.search(f);
        audit.accessed(AuditRecorder.event(caller, AuditAction.R, "search-type", "AuditEvent", null)
                .withQuery(describe(filter)));
        return entries;
    }

    /**
     * Recomputes the whole audit hash chain (platform admins only). The verification itself is audited with its
     * verdict, as is a refusal.
     */
    public ChainVerdict verifyChain() {
        Caller caller = currentCaller.get();
        try {
            policy.requireAuditChainVerifier(caller);
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.E, "audit-verify", "AuditEvent", null)
                    .refused(e.getMessage()));
            throw e;
        }
        ChainVerdict verdict = trail.verifyChain();
        audit.accessed(AuditRecorder.event(caller, AuditAction.E, "audit-verify", "AuditEvent", null)
                .withDetail(verdict.toString()));
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

    private Caller bind(String interaction) {
        Caller caller = currentCaller.get();
        try {
            access.bindForAudit(caller);
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.R, interaction, "AuditEvent", null)
                    .refused(e.getMessage()));
            throw e;
        }
        return caller;
    }
}
