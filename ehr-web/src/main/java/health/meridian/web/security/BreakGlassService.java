package health.meridian.web.security;

import health.meridian.domain.access.BreakGlassRepository;
import health.meridian.domain.access.BreakGlassSession;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.audit.AuditFilter;
import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
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
    TenantBinding binding;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;
    @Inject
    AuditTrail trail;
    @Inject
    AccessSeam seam;

    private static final int READS_SHOWN = 200;

    /** Opens a session on {@code patient} ({@code Patient/<id>} or {@code <id>}) held by the caller's institution. */
    public BreakGlassSession open(String patient, String reason) {
        Caller caller = currentCaller.get();
        String patientId = patient == null ? null : patient.replaceFirst("^Patient/", "");
        try {
            policy.requireBreakGlass(caller);
            return openFor(caller, patientId, reason);
        } catch (AccessDeniedException | IllegalArgumentException | NoSuchElementException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.E, "break-glass", "Patient", patientId)
                    .withPurpose("ETREAT").refused(e.getMessage()));
            throw e;
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

    public List<BreakGlassSession> forReview() {
        bindAdmin();
        return sessions.all(200);
    }

    public BreakGlassSession review(String id) {
        Caller admin = bindAdmin();
        BreakGlassSession session = sessions.find(id)
                .orElseThrow(() -> new NoSuchElementException("EHR-0655 no break-the-glass session " + id));
        session.review(admin.username(), Instant.now());
        audit.accessed(AuditRecorder.event(admin, AuditAction.E, "break-glass-review", "Patient", null)
                .about(session.tenant().value(), session.personId(), session.patientRef()).withDetail(id));
        return session;
    }

    /**
     * What the session's practitioner read about the session's patient while it ran (the audit trail's read and
     * search entries of that token subject about that person between its start and its expiry), newest first.
     * Looking is audited.
     */
    public List<AuditEntry> readsDuring(String id) {
        Caller admin = bindAdmin();
        BreakGlassSession session = sessions.find(id)
                .orElseThrow(() -> new NoSuchElementException("EHR-0655 no break-the-glass session " + id));
        List<AuditEntry> reads = trail.search(new AuditFilter(session.subject(), session.personId(), null,
                AuditAction.R, null, null, session.startedAt(), session.expiresAt(), null, READS_SHOWN));
        audit.accessed(AuditRecorder.event(admin, AuditAction.R, "break-glass-reads", "AuditEvent", null)
                .about(session.tenant().value(), session.personId(), session.patientRef()).withDetail(id));
        return reads;
    }

    private BreakGlassSession openFor(Caller caller, String patientId, String reason) {
        TenantId tenant = caller.requireTenant();
        binding.bind(tenant);
        if (patientId == null || patientId.isBlank()) {
            throw new IllegalArgumentException("EHR-0656 break-the-glass names the patient");
        }
        String id = patientId;
        String person = records.personOf(new ResourceKey(tenant, "Patient", id))
                .orElseThrow(() -> new NoSuchElementException("EHR-0654 no patient " + id + " at " + tenant));
        BreakGlassSession session = BreakGlassSession.open(tenant, caller.practitionerId().orElseThrow(),
                caller.subject(), person, "Patient/" + id, reason, Instant.now());
        sessions.add(session);
        audit.accessed(AuditRecorder.event(caller, AuditAction.E, "break-glass", "Patient", id)
                .about(tenant.value(), person, "Patient/" + id).withPurpose("ETREAT")
                .withDetail("session " + session.id() + " until " + session.expiresAt() + ": " + session.reason()));
        return session;
    }

    private Caller bindAdmin() {
        Caller caller = currentCaller.get();
        try {
            binding.bind(policy.breakGlassReviewTenant(caller));
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.R, "break-glass-review", "Patient", null)
                    .refused(e.getMessage()));
            throw e;
        }
        return caller;
    }
}
