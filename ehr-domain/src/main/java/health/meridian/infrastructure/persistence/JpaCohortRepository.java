package health.meridian.infrastructure.persistence;

import static health.meridian.infrastructure.persistence.SqlValues.instant;

import health.meridian.domain.cohort.CohortRepository;
import health.meridian.domain.cohort.SavedCohort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Saved cohorts in table {@code cohort}; the tenant comes from the transaction's binding (RLS). */
@ApplicationScoped
public class JpaCohortRepository implements CohortRepository {

    private static final String COLUMNS = "id, name, definition::text, created_by, created_at, last_count, last_run_at";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void add(SavedCohort c) {
        em.createNativeQuery("INSERT INTO cohort (tenant_id, id, name, definition, created_by)"
                        + " VALUES (current_setting('app.tenant_id'), ?1, ?2, CAST(?3 AS jsonb), ?4)")
                .setParameter(1, c.id()).setParameter(2, c.name()).setParameter(3, c.definitionJson())
                .setParameter(4, c.createdBy()).executeUpdate();
    }

    @Override
    public Optional<SavedCohort> find(String id) {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM cohort WHERE id = ?1")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(r -> row((Object[]) r));
    }

    @Override
    public List<SavedCohort> all() {
        List<?> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM cohort ORDER BY created_at DESC, id")
                .setMaxResults(500).getResultList();
        return rows.stream().map(r -> row((Object[]) r)).toList();
    }

    @Override
    public void recordRun(String id, long count, Instant at) {
        em.createNativeQuery("UPDATE cohort SET last_count = ?2, last_run_at = ?3 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, count).setParameter(3, Timestamp.from(at)).executeUpdate();
    }

    private static SavedCohort row(Object[] r) {
        return new SavedCohort((String) r[0], (String) r[1], (String) r[2], (String) r[3], instant(r[4]),
                r[5] == null ? null : ((Number) r[5]).longValue(), instant(r[6]));
    }
}
