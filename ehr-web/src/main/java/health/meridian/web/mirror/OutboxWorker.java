package health.meridian.web.mirror;

import health.meridian.search.IndexBootstrap;
import health.meridian.search.IndexNames;
import health.meridian.web.config.SearchIndexProducer;
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

/**
 * Drives the outbox: makes sure the indexes (records, persons) exist, then ships batches continuously (back to back while there is a
 * backlog, every 200 ms when idle). While a backlog ships (a bulk load: full batches) the indexes refresh every 30 s
 * instead of every second; 10 s after the last full batch, and at every start (a run that died relaxed), the 1 s
 * refresh is restored, and the background validation of bulk imports, which waits meanwhile, may run again
 * ({@code ValidationGate}). A system task: it acts for no tenant of its own; each event carries its tenant.
 */
@Singleton
@Startup
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;
    @Inject
    OutboxShipper shipper;
    @Inject
    SearchIndexProducer search;
    @Inject
    health.meridian.web.ingest.ValidationGate validationGate;

    private ScheduledFuture<?> task;
    /** The refresh is restored once no full batch was shipped for this long (a bulk load's chunks come in bursts). */
    private static final long RESTORE_AFTER_NANOS = 10_000_000_000L;

    private volatile boolean indexReady;
    /** Whether this instance relaxed the indexes' refresh because a backlog is being shipped. */
    private boolean relaxed;
    private long lastFullBatch;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::drain, 1000, 200, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void drain() {
        try {
            if (!indexReady) {
                IndexBootstrap.ensure(search.client(), IndexNames.records());
                IndexBootstrap.ensure(search.client(), IndexNames.persons());
                shipper.relaxRefresh(false); // a previous run may have died with the refresh relaxed
                indexReady = true;
            }
            int shipped;
            do {
                shipped = shipper.shipBatch();
                if (shipped == OutboxShipper.BATCH) {
                    lastFullBatch = System.nanoTime();
                    if (!relaxed) {
                        shipper.relaxRefresh(relaxed = true);
                        validationGate.mirrorBacklog(true); // a bulk load's background validation waits
                    }
                }
            } while (shipped == OutboxShipper.BATCH);
            if (relaxed && System.nanoTime() - lastFullBatch > RESTORE_AFTER_NANOS) {
                shipper.relaxRefresh(relaxed = false);
                validationGate.mirrorBacklog(false);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "outbox worker: {0}", e.toString());
        }
    }
}
