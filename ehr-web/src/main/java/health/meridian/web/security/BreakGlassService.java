package health.meridian.web.security;

import health.meridian.domain.access.BreakGlassRepository;
import health.meridian.domain.access.BreakGlassSession;
import health.meridian.domain.access.StaffNames;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditFilter;
import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Break-the-glass: a clinician opens a time-boxed session on a patient of their own institution with a stated
 * reason (audited, purpose ETREAT); the tenant admin lists sessions and marks them reviewed.
 */
@ApplicationScoped
@Transactional
public class BreakGlassService {

    @Inject
    BreakGlassRepository sessions;
    @Inject
    RecordRepository records;
    @Inject
    AccessPolicy policy;
    @Inject
    AccessSeam seam;
    @Inject
    AuditTrail trail;
    @Inject
    AuditQueryService auditQuery;
    @Inject
    StaffNames staffNames;

    private static final int READS_SHOWN = 200;

    /** Opens a session on {@code patient} ({@code Patient/<id>} or {@code <id>}) held by the caller's institution. */
    public BreakGlassSession open(String patient, String reason) {
        String patientId = patient == null ? null : patient.replaceFirst("^Patient/", "");
        AccessSeam.Acting acting = seam.acting(AuditAction.E, "break-glass", "Patient", patientId,
                e -> e.withPurpose("ETREAT"), caller -> {
            policy.requireBreakGlass(caller);
            return AccessSeam.Bound.tenant(caller.requireTenant());
        });
        try {
            return openFor(acting, patientId, reason);
        } catch (IllegalArgumentException | NoSuchElementException e) {
            throw acting.refused(e, r -> r);
        }
    }

    /**
     * Whom a session on {@code patient} would open (issue #20), before the reason is asked: the Patient registered
     * at the caller's institution, through the access seam (bound, decided, audited). Empty when no such patient is
     * registered there, whether it does not exist or is held only elsewhere.
     */
    public java.util.Optional<health.meridian.domain.record.StoredResource> preview(String patient) {
        String id = patient == null ? "" : patient.replaceFirst("^Patient/", "").trim();
        if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new IllegalArgumentException("EHR-0656 break-the-glass names the patient (Patient/<id>)");
        }
        return seam.breakGlassPreview(id, tenant -> records.current(new ResourceKey(tenant, "Patient", id)));
    }

    /** The institution's sessions, for review (audited as a read). */
    public ForReview forReview() {
        AccessSeam.Acting acting = reviewing(AuditAction.R, "break-glass-review");
        List<BreakGlassSession> all = sessions.all(200);
        java.util.Map<String, health.meridian.domain.record.StoredResource> patients = acting.patientsNamed(
                all.stream().map(BreakGlassSession::patientRef).toList(), records::current);
        java.util.Map<String, StaffNames.Entry> reviewers = staffNames.of(all.stream()
                .map(s -> s.reviewedBySubject().orElse(null)).toList());
        acting.done(e -> e.about(acting.tenant().value(), null, null).withDetail(all.size() + " sessions listed"));
        return new ForReview(all, patients, reviewers);
    }

    /**
     * The sessions for review with the Patients the admin's institution holds, by reference, and the reviewers'
     * names by token subject (issue #20).
     */
    public record ForReview(List<BreakGlassSession> sessions,
                            java.util.Map<String, health.meridian.domain.record.StoredResource> patients,
                            java.util.Map<String, StaffNames.Entry> reviewers) {

        /** The reviewer's name, when the session is reviewed and the reviewer entered one. */
        public java.util.Optional<String> reviewerName(BreakGlassSession s) {
            return s.reviewedBySubject().map(reviewers::get).map(StaffNames.Entry::displayName);
        }
    }

    public BreakGlassSession review(String id) {
        AccessSeam.Acting acting = reviewing(AuditAction.E, "break-glass-review");
        BreakGlassSession session = sessions.find(id)
                .orElseThrow(() -> new NoSuchElementException("EHR-0655 no break-the-glass session " + id));
        session.review(acting.caller().username(), acting.caller().subject(), Instant.now());
        acting.done(e -> e.about(session.tenant().value(), session.personId(), session.patientRef()).withDetail(id));
        return session;
    }

    /**
     * What the session's practitioner read about the session's patient while it ran (the audit trail's read and
     * search entries of that token subject about that person between its start and its expiry), newest first.
     * Looking is audited.
     */
    public NamedEntries readsDuring(String id) {
        AccessSeam.Acting acting = seam.acting(AuditAction.R, "break-glass-reads", "AuditEvent", null,
                caller -> AccessSeam.Bound.tenant(policy.breakGlassReviewTenant(caller)));
        BreakGlassSession session = sessions.find(id)
                .orElseThrow(() -> new NoSuchElementException("EHR-0655 no break-the-glass session " + id));
        List<AuditEntry> reads = trail.search(new AuditFilter(session.subject(), session.personId(), null,
                AuditAction.R, null, null, session.startedAt(), session.expiresAt(), null, READS_SHOWN));
        NamedEntries named = auditQuery.named(acting, reads);
        acting.done(e -> e.about(session.tenant().value(), session.personId(), session.patientRef()).withDetail(id));
        return named;
    }

    private BreakGlassSession openFor(AccessSeam.Acting acting, String patientId, String reason) {
        TenantId tenant = acting.tenant();
        if (patientId == null || patientId.isBlank()) {
            throw new IllegalArgumentException("EHR-0656 break-the-glass names the patient");
        }
        String id = patientId;
        String person = records.personOf(new ResourceKey(tenant, "Patient", id))
                .orElseThrow(() -> new NoSuchElementException("EHR-0654 no patient " + id + " at " + tenant));
        Caller caller = acting.caller();
        BreakGlassSession session = BreakGlassSession.open(tenant, caller.practitionerId().orElseThrow(),
                caller.subject(), person, "Patient/" + id, reason, Instant.now());
        sessions.add(session);
        acting.done(e -> e.about(tenant.value(), person, "Patient/" + id).withPurpose("ETREAT")
                .withDetail("session " + session.id() + " until " + session.expiresAt() + ": " + session.reason()));
        return session;
    }

    /** The tenant admin's review, through the seam ({@link AccessPolicy#breakGlassReviewTenant}). */
    private AccessSeam.Acting reviewing(AuditAction action, String interaction) {
        return seam.acting(action, interaction, "Patient", null,
                caller -> AccessSeam.Bound.tenant(policy.breakGlassReviewTenant(caller)));
    }
}
