package health.meridian.web.ledger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the sealer on every app instance every {@code meridian.audit.seal-interval-ms} (default 100 ms); only the
 * instance holding the database lock seals (ADR 0019), so two or more instances never fork the ledger. A full batch
 * is followed at once by the next, so a backlog drains at up to {@link Sealing#MAX_BATCH} entries per step.
 */
@Singleton
@Startup
public class AuditSealer {

    private static final Logger LOG = Logger.getLogger(AuditSealer.class.getName());
    private static final int MAX_STEPS_PER_TICK = 50;

    @Resource
    ManagedScheduledExecutorService scheduler;
    @Inject
    Sealing sealing;
    @Inject
    @ConfigProperty(name = "meridian.audit.seal-interval-ms", defaultValue = "100")
    long intervalMillis;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::tick, 1000, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
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
