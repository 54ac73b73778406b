package health.meridian.web.mirror;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Read-your-writes on request ({@code X-Meridian-Consistency: read-your-writes} or {@code _consistency=strong}):
 * before searching, wait until every outbox event of the caller's institution written before the request has been
 * shipped, then refresh the index so those documents are visible. Bounded wait; a slow mirror never hangs a search.
 */
@ApplicationScoped
public class ReadYourWrites {

    static final long MAX_WAIT_MILLIS = 5_000;
    private static final Logger LOG = Logger.getLogger(ReadYourWrites.class.getName());

    @Inject
    CurrentCaller caller;
    @Inject
    RecordIndex index;
    @Inject
    health.meridian.domain.search.PersonIndex persons;
    @Inject
    PendingEvents pending;

    public static boolean requested(String header, String[] param) {
        return "read-your-writes".equalsIgnoreCase(header)
                || (param != null && param.length > 0 && "strong".equalsIgnoreCase(param[0]));
    }

    public void await() {
        Optional<TenantId> tenant = caller.get().tenant();
        if (tenant.isEmpty()) {
            return;
        }
        Instant since = Instant.now();
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        try {
            while (pending.count(tenant.get(), since) > 0) {
                if (System.currentTimeMillis() > deadline) {
                    LOG.warning("EHR-0230 read-your-writes: mirror still behind after " + MAX_WAIT_MILLIS + " ms");
                    return;
                }
                Thread.sleep(25);
            }
            index.refresh();
            persons.refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IndexUnavailableException e) {
            LOG.warning("EHR-0231 read-your-writes: " + e.getMessage());
        }
    }

    /** Outbox events of one institution created up to an instant (row-level security bound to that tenant). */
    @ApplicationScoped
    public static class PendingEvents {

        @PersistenceContext(unitName = "meridian")
        EntityManager em;
        @Inject
        TenantBinding binding;

        @Transactional
        public long count(TenantId tenant, Instant until) {
            binding.bind(tenant);
            return ((Number) em.createNativeQuery("SELECT count(*) FROM outbox_event WHERE tenant_id = ?1"
                    + " AND created_at <= ?2").setParameter(1, tenant.value())
                    .setParameter(2, Timestamp.from(until)).getSingleResult()).longValue();
        }
    }
}
