package health.meridian.infrastructure.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Binds the current transaction to the caller's person or practitioner identity for the row-level security
 * clauses of V2/V3 ({@code app.person_id}: the patient's own rows and audit entries; {@code app.practitioner_id}:
 * rows admitted by a grant to that practitioner). Transaction-local, like {@link TenantBinding}, which remains the
 * only writer of {@code app.tenant_id}. Values come only from the validated token.
 */
@ApplicationScoped
public class AccessBinding {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @jakarta.inject.Inject
    private AccessFactVersions versions;

    public void bindPerson(String personId) {
        set("app.person_id", personId);
    }

    /**
     * As {@link #bindPerson}, reading the access-fact counter (V29) in the same statement: a patient's reads and
     * searches list the institutions, which each instance keeps at that counter (ADR 0035).
     */
    public void bindPersonForReading(String personId) {
        Object[] row = (Object[]) em.createNativeQuery("SELECT set_config('app.person_id', ?1, true), "
                + AccessFactVersions.COLUMNS).setParameter(1, personId).getSingleResult();
        versions.remember(AccessFactVersions.of(row, 1));
    }

    public void bindPractitioner(String practitionerId) {
        set("app.practitioner_id", practitionerId);
    }

    /** The share code a clinician presents (its hash): row-level security then shows that one code. */
    public void bindShareCodeHash(String hash) {
        set("app.share_code_hash", hash);
    }

    /** Marks the transaction as the patient-summary read, where redeemed share codes admit rows (V5). */
    public void bindSummaryScope() {
        set("app.share_scope", "summary");
    }

    /**
     * In the patient-summary read: the institutions whose records about no patient row-level security shows (V23),
     * the custodians of the summary's permitted entries — the policy then admits only those an entry refers to.
     */
    public void bindSummaryDirectory(java.util.Collection<String> custodians) {
        set("app.summary_directory", String.join(",", new java.util.TreeSet<>(custodians)));
    }

    /** Who is redeeming, and from where: row-level security shows only their own failed attempts (V5). */
    public void bindRedeemer(String subject, String clientAddress) {
        set("app.subject", subject);
        set("app.client_ip", clientAddress);
    }

    /** A platform admin's audit search: row-level security shows the platform-level audit rows (V8). */
    public void bindPlatformAudit() {
        set("app.audit_scope", "platform");
    }

    private void set(String name, String value) {
        em.createNativeQuery("SELECT set_config(?1, ?2, true)").setParameter(1, name).setParameter(2, value)
                .getSingleResult();
    }
}
