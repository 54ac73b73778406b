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

    /** Links to the person with this id, registering it if it is new (the id patients carry as person_id). */
    public String ensure(String id) {
        ensureNew(id);
        return id;
    }

    /** Registers the person with this id if it is new; true if it was new. */
    public boolean ensureNew(String id) {
        if (id == null || !id.matches("^[A-Za-z0-9\\-.]{1,64}$")) {
            throw new IllegalArgumentException("EHR-0403 invalid person id: " + id);
        }
        return em.createNativeQuery("INSERT INTO person (id) VALUES (?1) ON CONFLICT (id) DO NOTHING")
                .setParameter(1, id).executeUpdate() == 1;
    }
}
