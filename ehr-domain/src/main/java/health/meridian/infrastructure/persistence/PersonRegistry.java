package health.meridian.infrastructure.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.UUID;

/** Creates the cross-institution person a new Patient record is linked to. */
@ApplicationScoped
public class PersonRegistry {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    public String register() {
        String id = UUID.randomUUID().toString();
        em.createNativeQuery("INSERT INTO person (id) VALUES (?1)").setParameter(1, id).executeUpdate();
        return id;
    }
}
