package health.meridian.infrastructure.persistence;

import health.meridian.domain.cohort.DifferencingGuard.Disclosure;
import health.meridian.domain.cohort.DisclosureLedger;
import health.meridian.domain.cohort.PersonSetSketch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * {@link DisclosureLedger} on cohort_disclosure (V12). A platform table: row-level security admits only the rows of
 * the user the transaction declared ({@code app.scope = cohort-guard}, {@code app.cohort_subject}), which every
 * method does first; the per-user lock is a transaction-level advisory lock, so it holds across instances.
 */
@ApplicationScoped
public class JpaDisclosureLedger implements DisclosureLedger {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public List<Disclosure> lockAndRead(String subject, Instant since, int limit) {
        bind(subject);
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "cohort-guard:" + subject).getSingleResult();
        return rows(since, limit);
    }

    @Override
    public List<Disclosure> read(String subject, Instant since, int limit) {
        bind(subject);
        return rows(since, limit);
    }

    @Override
    public void add(String subject, Disclosure d) {
        bind(subject);
        if (d.refused()) {
            em.createNativeQuery("INSERT INTO cohort_disclosure (subject, definition_key, at) VALUES (?1, ?2, ?3)")
                    .setParameter(1, subject).setParameter(2, d.definition()).setParameter(3, Timestamp.from(d.at()))
                    .executeUpdate();
            return;
        }
        em.createNativeQuery("INSERT INTO cohort_disclosure (subject, definition_key, person_count, sketch, at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, subject).setParameter(2, d.definition()).setParameter(3, d.persons().size())
                .setParameter(4, d.persons().values()).setParameter(5, Timestamp.from(d.at())).executeUpdate();
    }

    private List<Disclosure> rows(Instant since, int limit) {
        List<?> rows = em.createNativeQuery("SELECT definition_key, person_count, sketch, at FROM cohort_disclosure"
                        + " WHERE at > ?1 ORDER BY at DESC, seq DESC")
                .setParameter(1, Timestamp.from(since)).setMaxResults(limit).getResultList();
        return rows.stream().map(r -> row((Object[]) r)).toList();
    }

    private static Disclosure row(Object[] r) {
        Instant at = ((Timestamp) r[3]).toInstant();
        if (r[1] == null) {
            return Disclosure.refusal((String) r[0], at);
        }
        return new Disclosure((String) r[0], PersonSetSketch.of(((Number) r[1]).longValue(), (byte[]) r[2]), at);
    }

    private void bind(String subject) {
        em.createNativeQuery("SELECT set_config('app.scope', 'cohort-guard', true),"
                + " set_config('app.cohort_subject', ?1, true)").setParameter(1, subject).getSingleResult();
    }
}
