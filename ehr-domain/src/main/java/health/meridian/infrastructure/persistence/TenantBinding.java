package health.meridian.infrastructure.persistence;

import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.annotation.Resource;
import jakarta.transaction.Status;

/**
 * Binds the current database transaction to one tenant: sets the transaction-local {@code app.tenant_id} that the
 * row-level security policies check. The only place that writes that setting. Must run inside a transaction;
 * the setting disappears at commit/rollback, so a pooled connection never carries a tenant over.
 */
@ApplicationScoped
public class TenantBinding {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    @jakarta.inject.Inject
    private AccessFactVersions versions;

    public void bind(TenantId tenant) {
        requireTransaction();
        em.createNativeQuery("SELECT set_config('app.tenant_id', ?1, true)")
                .setParameter(1, tenant.value())
                .getSingleResult();
    }

    /**
     * Binds the transaction to {@code tenant} and to the practitioner {@code practitionerId} (the grants clauses of
     * {@link AccessBinding#bindPractitioner}) in one statement, which also reads the access-fact counter (V29, ADR
     * 0035): a clinician's read sets both and learns whether the facts this instance keeps are still exact, in one
     * round trip. The same settings as {@link #bind} then {@link AccessBinding#bindPractitioner}, transaction-local.
     */
    public AccessFactVersions.Seen bind(TenantId tenant, String practitionerId) {
        requireTransaction();
        Object[] row = (Object[]) em.createNativeQuery("SELECT set_config('app.tenant_id', ?1, true),"
                        + " set_config('app.practitioner_id', ?2, true), " + AccessFactVersions.COLUMNS)
                .setParameter(1, tenant.value())
                .setParameter(2, java.util.Objects.requireNonNull(practitionerId))
                .getSingleResult();
        return versions.remember(AccessFactVersions.of(row, 2));
    }

    /** Declares the outbox worker: it may see pending outbox events (ids only) of every tenant. */
    public void bindOutboxWorker() {
        requireTransaction();
        em.createNativeQuery("SELECT set_config('app.scope', 'outbox-worker', true)").getSingleResult();
    }

    /** Declares the bulk import worker: it may find and claim import jobs (V17) of every tenant. */
    public void bindImportWorker() {
        requireTransaction();
        em.createNativeQuery("SELECT set_config('app.scope', 'import-worker', true)").getSingleResult();
    }

    /** Declares the bulk export worker: it may find, claim, run and expire export jobs (V20) of everyone. */
    public void bindExportWorker() {
        requireTransaction();
        em.createNativeQuery("SELECT set_config('app.scope', 'export-worker', true)").getSingleResult();
    }

    private void requireTransaction() {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("EHR-0120 tenant binding outside a transaction");
        }
    }
}
