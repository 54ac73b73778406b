package health.meridian.infrastructure.persistence;

import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JpaInstitutionRepository implements InstitutionRepository {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public Optional<Institution> find(TenantId id) {
        return Optional.ofNullable(em.find(Institution.class, id.value()));
    }

    @Override
    public List<Institution> all() {
        return em.createQuery("SELECT i FROM Institution i ORDER BY i.id", Institution.class).getResultList();
    }

    @Override
    public void add(Institution institution) {
        em.persist(institution);
    }
}
