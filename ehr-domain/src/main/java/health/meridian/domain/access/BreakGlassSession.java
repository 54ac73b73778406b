package health.meridian.domain.access;

import health.meridian.domain.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Emergency access ("break the glass") by a clinician to a patient of their own institution outside their care
 * teams: a stated reason is mandatory, access is time-boxed, and the session waits for review by a tenant admin.
 */
@Entity
@Table(name = "break_glass_session")
public class BreakGlassSession {

    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(60);
    private static final int MIN_REASON = 10;

    @Id
    private String id;
    @Column(name = "tenant_id")
    private String tenantId;
    @Column(name = "practitioner_id")
    private String practitionerId;
    private String subject;
    @Column(name = "person_id")
    private String personId;
    @Column(name = "patient_ref")
    private String patientRef;
    private String reason;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "reviewed_at")
    private Instant reviewedAt;
    @Column(name = "reviewed_by")
    private String reviewedBy;
    /** The reviewer's token subject (V25): the key of their name ({@code staff_name}); null for older reviews. */
    @Column(name = "reviewed_by_subject")
    private String reviewedBySubject;

    protected BreakGlassSession() {
    }

    public static BreakGlassSession open(TenantId tenant, String practitionerId, String subject, String personId,
                                         String patientRef, String reason, Instant now) {
        if (reason == null || reason.strip().length() < MIN_REASON) {
            throw new IllegalArgumentException("EHR-0651 break-the-glass needs a stated reason (at least "
                    + MIN_REASON + " characters)");
        }
        if (practitionerId == null || personId == null) {
            throw new IllegalArgumentException("EHR-0652 break-the-glass needs a practitioner and a known patient");
        }
        BreakGlassSession s = new BreakGlassSession();
        s.id = UUID.randomUUID().toString();
        s.tenantId = tenant.value();
        s.practitionerId = practitionerId;
        s.subject = subject;
        s.personId = personId;
        s.patientRef = patientRef;
        s.reason = reason.strip();
        s.startedAt = now;
        s.expiresAt = now.plus(DEFAULT_DURATION);
        return s;
    }

    public boolean isActiveAt(Instant now) {
        return !startedAt.isAfter(now) && expiresAt.isAfter(now);
    }

    /** Marks the session reviewed by {@code reviewer} (username) whose token subject is {@code reviewerSubject}. */
    public void review(String reviewer, String reviewerSubject, Instant now) {
        if (reviewedAt != null) {
            throw new IllegalStateException("EHR-0653 break-the-glass session " + id + " is already reviewed");
        }
        this.reviewedBy = reviewer;
        this.reviewedBySubject = reviewerSubject;
        this.reviewedAt = now;
    }

    public String id() {
        return id;
    }

    public TenantId tenant() {
        return TenantId.of(tenantId);
    }

    public String practitionerId() {
        return practitionerId;
    }

    public String subject() {
        return subject;
    }

    public String personId() {
        return personId;
    }

    public String patientRef() {
        return patientRef;
    }

    public String reason() {
        return reason;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Optional<Instant> reviewedAt() {
        return Optional.ofNullable(reviewedAt);
    }

    public Optional<String> reviewedBy() {
        return Optional.ofNullable(reviewedBy);
    }

    public Optional<String> reviewedBySubject() {
        return Optional.ofNullable(reviewedBySubject);
    }
}
