package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.BreakGlassRepository;
import health.meridian.domain.access.BreakGlassSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JpaBreakGlassRepository implements BreakGlassRepository {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void add(BreakGlassSession session) {
        em.persist(session);
        em.flush();
    }

    @Override
    public Optional<BreakGlassSession> find(String id) {
        return Optional.ofNullable(em.find(BreakGlassSession.class, id));
    }

    @Override
    public List<BreakGlassSession> unexpiredFor(String practitionerId) {
        // The database narrows by its clock, Java decides at the policy's instant (no Instant parameter binding).
        return em.createQuery("SELECT s FROM BreakGlassSession s WHERE s.practitionerId = :p"
                        + " AND s.expiresAt > CURRENT_TIMESTAMP", BreakGlassSession.class)
                .setParameter("p", practitionerId).getResultList();
    }

    @Override
    public List<BreakGlassSession> all(int limit) {
        return em.createQuery("SELECT s FROM BreakGlassSession s ORDER BY s.startedAt DESC", BreakGlassSession.class)
                .setMaxResults(limit).getResultList();
    }
}
