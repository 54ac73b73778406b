package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.AccessGrantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JpaAccessGrantRepository implements AccessGrantRepository {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void add(AccessGrant grant) {
        em.persist(grant);
        em.flush();
    }

    @Override
    public Optional<AccessGrant> find(String id) {
        return Optional.ofNullable(em.find(AccessGrant.class, id));
    }

    @Override
    public List<AccessGrant> ofPerson(String personId) {
        return em.createQuery("SELECT g FROM AccessGrant g WHERE g.personId = :p ORDER BY g.startsAt DESC",
                AccessGrant.class).setParameter("p", personId).getResultList();
    }

    @Override
    public List<AccessGrant> toGrantee(String practitionerId, String institution) {
        return em.createQuery("SELECT g FROM AccessGrant g WHERE g.granteePractitioner = :p"
                        + " OR g.granteeTenant = :t", AccessGrant.class)
                .setParameter("p", practitionerId == null ? "" : practitionerId)
                .setParameter("t", institution == null ? "" : institution)
                .getResultList();
    }
}
