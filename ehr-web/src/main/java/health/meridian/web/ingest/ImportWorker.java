package health.meridian.web.ingest;

import health.meridian.domain.ingest.ImportJob;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Picks up bulk import jobs: every second, the oldest active job without a live lease (a new one, or one whose
 * instance died or stopped) is leased to this instance and run to its end. A system task like the outbox worker;
 * each job writes for the caller who started it, in that caller's institution.
 */
@Singleton
@Startup
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;
    @Inject
    ImportJobsTx tx;
    @Inject
    ImportEngine engine;
    @Inject
    ImportSettings settings;

    private final String owner = "instance-" + UUID.randomUUID();
    private ScheduledFuture<?> task;
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::poll, 3000, 1000, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        stopping = true;
        if (task != null) {
            task.cancel(false);
        }
    }

    private void poll() {
        try {
            Optional<ImportJob> job;
            while (!stopping && (job = tx.claim(owner, settings.lease())).isPresent()) {
                LOG.info("import job " + job.get().id() + ": run " + job.get().runs() + " (" + job.get().phase()
                        .code() + ")");
                engine.run(job.get(), owner, () -> stopping);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "import worker: {0}", e.toString());
        }
    }
}
