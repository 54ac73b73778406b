package health.meridian.web.export;

import health.meridian.domain.export.ExportJob;
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
 * Picks up bulk export jobs, as {@link health.meridian.web.ingest.ImportWorker} does imports: every second, on every
 * instance, expired and cancelled jobs are deleted with their files, then the oldest job without a live lease (a new
 * one, or one whose instance died) is leased to this instance and exported person by person from its checkpoint.
 */
@Singleton
@Startup
public class ExportWorker {

    private static final Logger LOG = Logger.getLogger(ExportWorker.class.getName());

    @Resource
    ManagedThreadFactory threads;
    @Inject
    ExportJobsTx tx;
    @Inject
    ExportSettings settings;

    private final String owner = "instance-" + UUID.randomUUID();
    private volatile boolean stopping;
    private Thread thread;

    @PostConstruct
    void start() {
        thread = threads.newThread(this::loop);
        thread.setName("meridian-export");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        thread.interrupt();
    }

    private void loop() {
        while (!stopping) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    private void poll() {
        try {
            tx.expire();
            Optional<ExportRun> run;
            while (!stopping && (run = tx.claim(owner, settings.lease(), settings.resourcesPerFile())).isPresent()) {
                run(run.get());
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "export worker: {0}", e.toString());
        }
    }

    private void run(ExportRun run) {
        ExportJob job = run.job();
        LOG.info("export job " + job.id() + ": " + job.persons().size() + " person(s), from " + job.personsDone());
        try {
            for (int i = job.personsDone(); i < job.persons().size(); i++) {
                if (stopping) {
                    tx.release(job.id(), owner);
                    return;
                }
                tx.exportPerson(run, i);
            }
            tx.finish(job.id(), ExportJob.Status.COMPLETE, null, settings.retention());
        } catch (RuntimeException e) {
            if (stopped(e)) {
                LOG.info("export job " + job.id() + ": stopped (" + e.getMessage() + ")");
                return;
            }
            LOG.log(Level.WARNING, "export job " + job.id() + " failed", e);
            tx.finish(job.id(), ExportJob.Status.FAILED, "EHR-1141 export failed: " + e, settings.retention());
        }
    }

    private static boolean stopped(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ExportJobsTx.ExportStoppedException) {
                return true;
            }
        }
        return false;
    }
}
