package health.meridian.bench.importer;

import health.meridian.bench.BenchException;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.synthea.ImportPayload;
import health.meridian.bench.synthea.OperationOutcomeText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts Synthea bundles as FHIR transactions: the hospital/practitioner bundles first (one after the other, per
 * tenant), then the patients with {@code clients} concurrent connections. Every file is journaled; a file that
 * was in flight during a crash is probed before it is sent again, so a resumed import creates no duplicates.
 */
public final class BundleImporter {

    private static final Duration POST_TIMEOUT = Duration.ofMinutes(15);

    private final int clients;
    private final ImportJournal journal;
    private final CommitProbe probe;
    private final CommitListener listener;
    private final PrintStream out;

    public BundleImporter(int clients, ImportJournal journal, CommitProbe probe, CommitListener listener,
                          PrintStream out) {
        if (clients < 1) {
            throw new BenchException("BENCH-0320 --clients must be at least 1");
        }
        this.clients = clients;
        this.journal = journal;
        this.probe = probe;
        this.listener = listener;
        this.out = out;
    }

    public ImportReport run(List<ImportJob> infoJobs, List<ImportJob> patientJobs) {
        List<FileFailure> failures = Collections.synchronizedList(new ArrayList<>());
        for (ImportJob job : infoJobs) {
            if (!journal.isDone(job.tenant().name(), job.file().name())) {
                send(job, failures, null, null);
            }
        }
        if (!failures.isEmpty()) {
            return new ImportReport(0, 0, 0, 0, List.copyOf(failures));
        }
        List<ImportJob> fresh = patientJobs.stream().filter(j -> !isDone(j) && !isInDoubt(j)).toList();
        List<ImportJob> inDoubt = patientJobs.stream().filter(this::isInDoubt).toList();
        int skipped = patientJobs.size() - fresh.size() - inDoubt.size();
        ImportReport first = importPatients(fresh, skipped, failures);
        if (inDoubt.isEmpty()) {
            return first;
        }
        // Probed last: a transaction the server was still running when the importer died has finished by now.
        List<ImportJob> resend = notCommitted(inDoubt);
        ImportReport second = importPatients(resend, 0, failures);
        return new ImportReport(first.patientFiles() + second.patientFiles(),
                skipped + inDoubt.size() - resend.size(), first.resources() + second.resources(),
                first.seconds() + second.seconds(), List.copyOf(failures));
    }

    private boolean isDone(ImportJob job) {
        return journal.isDone(job.tenant().name(), job.file().name());
    }

    private boolean isInDoubt(ImportJob job) {
        return journal.isInDoubt(job.tenant().name(), job.file().name());
    }

    private List<ImportJob> notCommitted(List<ImportJob> inDoubt) {
        List<ImportJob> resend = new ArrayList<>();
        for (ImportJob job : inDoubt) {
            ImportPayload payload = job.payload().get();
            if (payload.patientIdentifier().isPresent()
                    && probe.committed(job.tenant().client(), payload.patientIdentifier().get())) {
                out.println("meridian: import: " + job.file().name() + " was committed before the interruption; not sent again");
                journal.done(job.tenant().name(), job.file().name(), payload.resources());
            } else {
                resend.add(job);
            }
        }
        return resend;
    }

    private ImportReport importPatients(List<ImportJob> todo, int skipped, List<FileFailure> failures) {
        ProgressBar progress = new ProgressBar(out, todo.size());
        AtomicLong resources = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(progress::draw, 0, 500, TimeUnit.MILLISECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            for (ImportJob job : todo) {
                pool.submit(() -> resources.addAndGet(send(job, failures, progress, listener)));
            }
            pool.shutdown();
            if (!pool.awaitTermination(24, TimeUnit.HOURS)) {
                throw new BenchException("BENCH-0321 import did not finish within 24 h");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("BENCH-0322 import interrupted", e);
        } finally {
            pool.shutdownNow();
            ticker.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.finish();
        int committed = todo.size() - (int) failures.stream().filter(f -> isPatientFile(f, todo)).count();
        return new ImportReport(committed, skipped, resources.get(), seconds, List.copyOf(failures));
    }

    private static boolean isPatientFile(FileFailure f, List<ImportJob> jobs) {
        return jobs.stream().anyMatch(j -> j.file().name().equals(f.file()) && j.tenant().name().equals(f.tenant()));
    }

    /** Sends one file; returns the number of resources committed (0 on failure, which is recorded). */
    private long send(ImportJob job, List<FileFailure> failures, ProgressBar progress, CommitListener onCommit) {
        String tenant = job.tenant().name();
        String file = job.file().name();
        try {
            ImportPayload payload = job.payload().get();
            journal.started(tenant, file);
            FhirResponse r = job.tenant().client().postBundle(payload.bytes(), POST_TIMEOUT);
            if (!r.ok()) {
                return failed(failures, progress, new FileFailure(tenant, file, r.status(), OperationOutcomeText.of(r.body())));
            }
            journal.done(tenant, file, payload.resources());
            if (onCommit != null) {
                onCommit.committed(job, payload, r.body());
            }
            if (progress != null) {
                progress.fileDone(payload.resources());
            }
            return payload.resources();
        } catch (RuntimeException e) {
            return failed(failures, progress, new FileFailure(tenant, file, 0, e.getMessage()));
        }
    }

    private static long failed(List<FileFailure> failures, ProgressBar progress, FileFailure failure) {
        failures.add(failure);
        if (progress != null) {
            progress.fileFailed();
        }
        return 0;
    }
}
