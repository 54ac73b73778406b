package health.meridian.web.ledger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the sealer on every app instance every {@code meridian.audit.seal-interval-ms} (default 100 ms); only the
 * instance holding the database lock seals (ADR 0019), so two or more instances never fork the ledger. A full batch
 * is followed at once by the next, so a backlog drains at up to {@link Sealing#MAX_BATCH} entries per step. It runs
 * on a thread of its own (a managed thread, with the container's context): the container's scheduled executor has a
 * single thread here, which the outbox worker holds while it drains a backlog — the sealer must not wait behind a
 * bulk load (seal latency goal < 1 s, issue #21).
 */
@Singleton
@Startup
public class AuditSealer {

    private static final Logger LOG = Logger.getLogger(AuditSealer.class.getName());
    private static final int MAX_STEPS_PER_TICK = 50;

    @Resource
    jakarta.enterprise.concurrent.ManagedThreadFactory threads;
    @Inject
    Sealing sealing;
    @Inject
    @ConfigProperty(name = "meridian.audit.seal-interval-ms", defaultValue = "100")
    long intervalMillis;

    private volatile boolean stopping;
    private Thread thread;

    @PostConstruct
    void start() {
        thread = threads.newThread(() -> {
            long delay = 1000;
            while (!stopping) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                tick();
                delay = intervalMillis;
            }
        });
        thread.setName("meridian-audit-sealer");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void tick() {
        try {
            for (int i = 0; i < MAX_STEPS_PER_TICK && sealing.sealOnce() == Sealing.MAX_BATCH; i++) {
                // a full batch: more may be queued
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "EHR-0727 audit sealing failed (retried at the next tick): {0}", e.toString());
        }
    }
}
