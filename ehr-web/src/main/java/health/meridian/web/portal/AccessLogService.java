package health.meridian.web.portal;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.tenant.Institution;
import health.meridian.web.ledger.InclusionProof;
import health.meridian.web.record.TenantService;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "Who accessed my record": the audit entries about the calling patient's person written by anyone else, newest
 * first, in plain language ({@link AccessLogRow}), filtered by period, kind and who. Row-level security limits the
 * trail to the patient's own person; reading the log is itself audited.
 */
@ApplicationScoped
@Transactional
public class AccessLogService {

    static final int MAX = 1000;
    public static final List<String> KINDS = List.of("read", "change", "break-glass", "share-code", "export");

    @Inject
    AuditTrail trail;
    @Inject
    AccessContext access;
    @Inject
    AccessPolicy policy;
    @Inject
    AccessSeam seam;
    @Inject
    InclusionProof inclusion;
    @Inject
    TenantService tenants;
    @Inject
    health.meridian.domain.access.StaffNames staffNames;

    public List<AccessLogRow> log(Instant from, Instant to, String kind, String who) {
        if (kind != null && !kind.isBlank() && !KINDS.contains(kind)) {
            throw new IllegalArgumentException("EHR-0751 kind must be one of " + String.join(", ", KINDS));
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("EHR-0752 the period must end after it starts");
        }
        AccessSeam.Acting acting = seam.acting(AuditAction.R, "access-log", "AuditEvent", null, c -> {
            String own = policy.requirePatient(c);
            access.bindForAudit(c);
            return AccessSeam.Bound.person(own);
        });
        Caller caller = acting.caller();
        String person = acting.person();
        List<AuditEntry> entries = trail.entries(person, null, from, to, MAX).stream()
                .filter(e -> person.equals(e.record().personId()))
                .filter(e -> !caller.subject().equals(e.record().actor().subject())).toList();
        List<AccessLogRow> rows = rows(entries).stream()
                .filter(r -> kind == null || kind.isBlank() || kind.equals(r.kind()))
                .filter(r -> matches(r, who)).toList();
        acting.done(e -> e.about(null, person, null).withPurpose("PATRQT")
                .withQuery("from=" + from + "&to=" + to + "&kind=" + kind + "&who=" + who));
        return rows;
    }

    /**
     * Inclusion proofs of the patient's own access-log entries (at most 100 per call): each against the signed head
     * of the batch that sealed it, checkable offline (ADR 0019). Entries not about the patient are left out, exactly
     * as if they did not exist.
     */
    public List<InclusionProof.Proof> proofs(List<Long> seqs) {
        if (seqs == null || seqs.isEmpty() || seqs.size() > 100) {
            throw new IllegalArgumentException("EHR-0756 ask for the proofs of 1 to 100 entries");
        }
        AccessSeam.Acting acting = seam.acting(AuditAction.R, "access-log-proof", "AuditEvent", null, c -> {
            String own = policy.requirePatient(c);
            access.bindForAudit(c);
            return AccessSeam.Bound.person(own);
        });
        List<InclusionProof.Proof> out = seqs.stream().distinct()
                .map(seq -> inclusion.of(seq, acting.person())).flatMap(java.util.Optional::stream).toList();
        acting.done(e -> e.about(null, acting.person(), null).withPurpose("PATRQT")
                .withDetail(out.size() + " inclusion proof(s)"));
        return out;
    }

    /** Oldest first to carry each clinician's break-the-glass reason to their later emergency reads. */
    private List<AccessLogRow> rows(List<AuditEntry> newestFirst) {
        Map<String, Institution> institutions = tenants.all().stream()
                .collect(Collectors.toMap(i -> i.id().value(), Function.identity()));
        Map<String, health.meridian.domain.access.StaffNames.Entry> names = staffNames.of(newestFirst.stream()
                .map(e -> e.record().actor().subject()).toList());
        Map<String, String> reasons = new HashMap<>();
        List<AccessLogRow> rows = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            AuditEntry e = newestFirst.get(i);
            String subject = e.record().actor().subject();
            if ("break-glass".equals(e.record().interaction()) && e.record().detail() != null) {
                String d = e.record().detail();
                reasons.put(subject, d.contains(": ") ? d.substring(d.indexOf(": ") + 2) : d);
            }
            health.meridian.domain.access.StaffNames.Entry name = names.get(subject);
            rows.add(0, AccessLogRow.of(e, institutions, reasons.get(subject),
                    name == null ? null : name.displayName()));
        }
        return rows;
    }

    private static boolean matches(AccessLogRow r, String who) {
        if (who == null || who.isBlank()) {
            return true;
        }
        String q = folded(who);
        return java.util.stream.Stream.of(r.who(), r.username(), r.institution(), r.institutionName(),
                        r.countryName(), r.role())
                .anyMatch(s -> s != null && folded(s).contains(q));
    }

    /** Case and accents folded: "muller" finds "Müller". */
    private static String folded(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }

}
