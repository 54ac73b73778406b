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
 * backlog, every 200 ms when idle). A system task: it acts for no tenant of its own; each event carries its tenant.
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

    private ScheduledFuture<?> task;
    private volatile boolean indexReady;

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
                indexReady = true;
            }
            int shipped;
            do {
                shipped = shipper.shipBatch();
            } while (shipped == OutboxShipper.BATCH);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "outbox worker: {0}", e.toString());
        }
    }
}
