package health.meridian.web.ingest;

import health.meridian.domain.ingest.ImportJob;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
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

    /**
     * Own threads, not the container's scheduled executor: that one has a single thread here, which the outbox
     * worker holds for as long as it drains a backlog — exactly while a bulk load runs.
     */
    @Resource
    ManagedThreadFactory threads;
    @Inject
    ImportJobsTx tx;
    @Inject
    ImportEngine engine;
    @Inject
    ImportSettings settings;

    private String owner;
    /** Wakes the load loop before its next poll: a job accepted here is started at once. */
    private final java.util.concurrent.Semaphore loadWanted = new java.util.concurrent.Semaphore(0);
    private static final java.util.Set<ImportJob.Phase> LOADS = java.util.EnumSet.of(ImportJob.Phase.QUEUED,
            ImportJob.Phase.LOADING);
    private static final java.util.Set<ImportJob.Phase> VALIDATIONS = java.util.EnumSet.of(
            ImportJob.Phase.VALIDATING);

    private final java.util.List<Thread> running = new java.util.ArrayList<>();
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        owner = settings.instanceName() + "-" + UUID.randomUUID();
        running.add(loop("meridian-import-load", LOADS));
        running.add(loop("meridian-import-validation", VALIDATIONS));
    }

    /** A job was accepted by this instance: look for work now (whichever instance leases it first runs it). */
    @jakarta.ejb.Lock(jakarta.ejb.LockType.READ)
    public void wake() {
        loadWanted.release();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        running.forEach(Thread::interrupt);
    }

    private Thread loop(String name, java.util.Set<ImportJob.Phase> phases) {
        Thread t = threads.newThread(() -> {
            while (!stopping) {
                try {
                    if (phases == LOADS && loadWanted.tryAcquire(1, java.util.concurrent.TimeUnit.SECONDS)) {
                        loadWanted.drainPermits();
                    } else if (phases != LOADS) {
                        Thread.sleep(1000);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                poll(phases);
            }
        });
        t.setName(name);
        t.setDaemon(true);
        t.start();
        return t;
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
