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
 * Picks up bulk import jobs: every second, the oldest job to load without a live lease (a new one, or one whose
 * instance died or stopped) is leased to this instance and loaded; a second task does the same for loaded jobs to
 * validate, so the background validation of one job never holds up the load of the next. A system task like the outbox worker;
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
    private static final java.util.Set<ImportJob.Phase> LOADS = java.util.EnumSet.of(ImportJob.Phase.QUEUED,
            ImportJob.Phase.LOADING);
    private static final java.util.Set<ImportJob.Phase> VALIDATIONS = java.util.EnumSet.of(
            ImportJob.Phase.VALIDATING);

    private ScheduledFuture<?> task;
    private ScheduledFuture<?> validations;
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(() -> poll(LOADS), 3000, 1000, TimeUnit.MILLISECONDS);
        validations = scheduler.scheduleWithFixedDelay(() -> poll(VALIDATIONS), 3500, 1000, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        stopping = true;
        if (task != null) {
            task.cancel(false);
        }
        if (validations != null) {
            validations.cancel(false);
        }
    }

    private void poll(java.util.Set<ImportJob.Phase> phases) {
        try {
            Optional<ImportJob> job;
            while (!stopping && (job = tx.claim(owner, settings.lease(), phases)).isPresent()) {
                LOG.info("import job " + job.get().id() + ": run " + job.get().runs() + " (" + job.get().phase()
                        .code() + ")");
                engine.run(job.get(), owner, () -> stopping);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "import worker: {0}", e.toString());
        }
    }
}
