package health.meridian.domain.share;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A patient's one-time share code: valid until it expires (default 24 hours, at most 7 days), redeemed once by a
 * clinician of any institution, who then reads the patient summary for {@link #ACCESS} (never longer than the code
 * was valid for, at least an hour). Stores the hash of the secret, never the secret.
 */
@Entity
@Table(name = "share_code")
public class ShareCode {

    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);
    public static final Duration ACCESS = Duration.ofHours(4);

    @Id
    private String id;
    @Column(name = "person_id", nullable = false)
    private String personId;
    @Column(name = "patient_tenant", nullable = false)
    private String patientTenant;
    @Column(name = "patient_id", nullable = false)
    private String patientId;
    @Column(name = "code_hash", nullable = false)
    private String codeHash;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "redeemed_at")
    private Instant redeemedAt;
    @Column(name = "redeemed_by")
    private String redeemedBy;
    @Column(name = "redeemed_subject")
    private String redeemedSubject;
    @Column(name = "redeemed_user")
    private String redeemedUser;
    @Column(name = "redeemed_tenant")
    private String redeemedTenant;
    @Column(name = "access_until")
    private Instant accessUntil;

    protected ShareCode() {
    }

    /** A new code of the patient's person for one of their Patient records; {@code validity} null = 24 hours. */
    public static ShareCode issue(String personId, String patientTenant, String patientId, ShareCodeSecret secret,
                                  Duration validity, Instant now) {
        Duration valid = validity == null ? DEFAULT_VALIDITY : validity;
        if (valid.compareTo(Duration.ofMinutes(5)) < 0 || valid.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("EHR-0742 a share code is valid between 5 minutes and 7 days");
        }
        ShareCode c = new ShareCode();
        c.id = UUID.randomUUID().toString();
        c.personId = personId;
        c.patientTenant = patientTenant;
        c.patientId = patientId;
        c.codeHash = secret.hash();
        c.createdAt = now;
        c.expiresAt = now.plus(valid);
        return c;
    }

    /** Redeemed by a clinician: one time only, before it expires, unless the patient revoked it. */
    public void redeem(String practitioner, String subject, String username, String tenant, Instant now) {
        if (!isRedeemableAt(now)) {
            throw new IllegalStateException("EHR-0744 this share code was already used, has expired or was withdrawn");
        }
        redeemedAt = now;
        redeemedBy = practitioner;
        redeemedSubject = subject;
        redeemedUser = username;
        redeemedTenant = tenant;
        Duration access = ACCESS.compareTo(Duration.between(createdAt, expiresAt)) < 0 ? ACCESS
                : Duration.between(createdAt, expiresAt);
        accessUntil = now.plus(access.compareTo(Duration.ofHours(1)) < 0 ? Duration.ofHours(1) : access);
    }

    public void revoke(Instant now) {
        if (revokedAt != null) {
            throw new IllegalStateException("EHR-0745 this share code is already withdrawn");
        }
        revokedAt = now;
    }

    public boolean isRedeemableAt(Instant now) {
        return redeemedAt == null && revokedAt == null && expiresAt.isAfter(now);
    }

    /** Whether the redeemer may still read the summary. */
    public boolean grantsAccessAt(Instant now) {
        return revokedAt == null && accessUntil != null && accessUntil.isAfter(now);
    }

    public String id() {
        return id;
    }

    public String personId() {
        return personId;
    }

    public String patientTenant() {
        return patientTenant;
    }

    public String patientId() {
        return patientId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    public Optional<Instant> redeemedAt() {
        return Optional.ofNullable(redeemedAt);
    }

    public Optional<String> redeemedUser() {
        return Optional.ofNullable(redeemedUser);
    }

    public Optional<String> redeemedTenant() {
        return Optional.ofNullable(redeemedTenant);
    }

    public Optional<Instant> accessUntil() {
        return Optional.ofNullable(accessUntil);
    }
}
