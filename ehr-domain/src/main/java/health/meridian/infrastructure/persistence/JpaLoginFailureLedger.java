package health.meridian.infrastructure.persistence;

import health.meridian.domain.audit.LoginFailureLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link LoginFailureLedger} on identity_event_import (V8). A platform table: row-level security admits it only to a
 * transaction that declared itself the importer ({@code app.scope = identity-event-import}), which both methods do.
 */
@ApplicationScoped
public class JpaLoginFailureLedger implements LoginFailureLedger {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public Optional<Instant> latest() {
        bindImporter();
        Object max = em.createNativeQuery("SELECT max(event_time) FROM identity_event_import").getSingleResult();
        return Optional.ofNullable((Timestamp) max).map(Timestamp::toInstant);
    }

    @Override
    public boolean claim(String eventKey, Instant time) {
        bindImporter();
        return em.createNativeQuery("INSERT INTO identity_event_import (event_key, event_time) VALUES (?1, ?2)"
                        + " ON CONFLICT (event_key) DO NOTHING")
                .setParameter(1, eventKey).setParameter(2, Timestamp.from(time)).executeUpdate() == 1;
    }

    private void bindImporter() {
        em.createNativeQuery("SELECT set_config('app.scope', 'identity-event-import', true)").getSingleResult();
    }
}
