package health.meridian.domain.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A patient's grant of access to their record (at every institution) to one practitioner or one institution,
 * possibly in another country, for a purpose, within a period, limited by a {@link GrantScope}. Revocation takes
 * effect at once. The FHIR Consent view of a grant is {@code GrantConsent} (web layer).
 */
@Entity
@Table(name = "access_grant")
public class AccessGrant {

    @Id
    private String id;
    @Column(name = "person_id", nullable = false)
    private String personId;
    @Column(name = "grantee_practitioner")
    private String granteePractitioner;
    @Column(name = "grantee_tenant")
    private String granteeTenant;
    private String scope;
    private String categories;
    private String purpose;
    @Column(name = "starts_at")
    private Instant startsAt;
    @Column(name = "ends_at")
    private Instant endsAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected AccessGrant() {
    }

    private AccessGrant(String personId, Grantee grantee, GrantScope scope, String purpose, Instant start,
                        Instant end) {
        this.id = UUID.randomUUID().toString();
        this.personId = personId;
        this.granteePractitioner = grantee.practitionerId().orElse(null);
        this.granteeTenant = grantee.institution().map(t -> t.value()).orElse(null);
        this.scope = scope.kind();
        this.categories = scope.categoriesText();
        this.purpose = purpose;
        this.startsAt = start;
        this.endsAt = end;
    }

    /** A new grant by the patient {@code personId}; start defaults to now, end may be open. */
    public static AccessGrant grant(String personId, Grantee grantee, GrantScope scope, String purpose,
                                    Instant start, Instant end) {
        if (personId == null || personId.isBlank()) {
            throw new IllegalArgumentException("EHR-0607 only a patient linked to a person can grant access");
        }
        if (grantee == null) {
            throw new IllegalArgumentException("EHR-0601 a grant needs a grantee: a practitioner or an institution");
        }
        if (purpose == null || !purpose.matches("^[A-Z]{2,32}$")) {
            throw new IllegalArgumentException("EHR-0608 purpose must be a v3 PurposeOfUse code, e.g. TREAT");
        }
        if (start == null || end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("EHR-0602 the grant must end after it starts");
        }
        return new AccessGrant(personId, grantee, scope, purpose, start, end);
    }

    /**
     * An unmanaged copy with the same state: an app instance keeps copies of a clinician's grants across requests
     * (ADR 0035), never the entity a persistence context manages (a later change to that one, even rolled back,
     * must not reach the kept facts).
     */
    public AccessGrant copy() {
        AccessGrant c = new AccessGrant();
        c.id = id;
        c.personId = personId;
        c.granteePractitioner = granteePractitioner;
        c.granteeTenant = granteeTenant;
        c.scope = scope;
        c.categories = categories;
        c.purpose = purpose;
        c.startsAt = startsAt;
        c.endsAt = endsAt;
        c.revokedAt = revokedAt;
        c.createdAt = createdAt;
        return c;
    }

    public void revoke(Instant now) {
        if (revokedAt != null) {
            throw new IllegalStateException("EHR-0609 grant " + id + " is already revoked");
        }
        this.revokedAt = now;
    }

    public boolean isActiveAt(Instant now) {
        return revokedAt == null && !startsAt.isAfter(now) && (endsAt == null || endsAt.isAfter(now));
    }

    /** Whether this grant lets {@code practitioner} of {@code institution} read this labelled record now. */
    public boolean admits(String practitioner, String institution, String person, List<String> labels,
                          Instant now) {
        boolean toCaller = practitioner != null && practitioner.equals(granteePractitioner)
                || institution != null && institution.equals(granteeTenant);
        return toCaller && personId.equals(person) && isActiveAt(now) && scope().admits(labels);
    }

    public GrantScope scope() {
        Set<String> listed = categories == null || categories.isEmpty() ? Set.of()
                : Set.copyOf(Arrays.asList(categories.split(",")));
        return new GrantScope(scope, listed);
    }

    public String id() {
        return id;
    }

    public String personId() {
        return personId;
    }

    public Grantee grantee() {
        return granteePractitioner != null ? Grantee.practitioner(granteePractitioner)
                : Grantee.institution(health.meridian.domain.tenant.TenantId.of(granteeTenant));
    }

    public String purpose() {
        return purpose;
    }

    public Instant startsAt() {
        return startsAt;
    }

    public Optional<Instant> endsAt() {
        return Optional.ofNullable(endsAt);
    }

    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    /** When the patient made the grant (set by the database; empty before the grant is read back). */
    public Optional<Instant> createdAt() {
        return Optional.ofNullable(createdAt);
    }
}
