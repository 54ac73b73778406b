package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.OutsideRecordsHints;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * {@link OutsideRecordsHints} in {@code outside_records_hint} (V28): read and written by the patient themselves
 * (row-level security on {@code app.person_id}); the clinician's side only through
 * {@code meridian_outside_records_hint}, which answers one bit.
 */
@ApplicationScoped
public class JpaOutsideRecordsHints implements OutsideRecordsHints {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public boolean enabled(String person) {
        return !em.createNativeQuery("SELECT 1 FROM outside_records_hint WHERE person_id = ?1 AND enabled")
                .setParameter(1, person).getResultList().isEmpty();
    }

    @Override
    public void choose(String person, boolean enabled) {
        em.createNativeQuery("INSERT INTO outside_records_hint (person_id, enabled) VALUES (?1, ?2)"
                        + " ON CONFLICT (person_id) DO UPDATE SET enabled = EXCLUDED.enabled,"
                        + " changed_at = clock_timestamp()")
                .setParameter(1, person).setParameter(2, enabled).executeUpdate();
    }

    @Override
    public boolean optedInAndHeldElsewhere(String person, TenantId caller) {
        Object answer = em.createNativeQuery("SELECT meridian_outside_records_hint(?1, ?2)")
                .setParameter(1, person).setParameter(2, caller.value()).getSingleResult();
        return Boolean.TRUE.equals(answer);
    }
}
