package health.meridian.web.ingest;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.ingest.ImportInput;
import health.meridian.domain.ingest.ImportJob;
import health.meridian.domain.ingest.ImportJobRepository;
import health.meridian.domain.ingest.ImportJobRepository.NewInput;
import health.meridian.domain.ingest.ImportLineError;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The bulk import use cases: start a job (the same write decision as the API, into the caller's institution only;
 * audited as one event for the job — the worker audits once per person written about), and read a job's status,
 * error file and validation report (the institution's importers; another institution's job is unknown).
 */
@ApplicationScoped
public class BulkImportService {

    @Inject
    AccessSeam seam;
    @Inject
    AccessPolicy policy;
    @Inject
    ImportJobRepository jobs;
    @Inject
    ImportSources sources;
    @Inject
    ImportFaults faults;
    @Inject
    FhirContext fhir;
    @Inject
    ImportWorker worker;
    @jakarta.annotation.Resource
    jakarta.transaction.TransactionSynchronizationRegistry transactions;

    /** One input as requested: its resource type, and a file of the import directory or an uploaded body. */
    public record Input(String type, String url, String content) {
    }

    /** A job and its inputs, as its status shows them. */
    public record JobView(ImportJob job, List<ImportInput> inputs) {
    }

    @Transactional
    public UUID start(List<Input> inputs, String requestUrl, Integer crashAfterChunks) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("EHR-1000 an import names at least one input");
        }
        List<String> types = inputs.stream().map(Input::type).distinct().toList();
        AccessSeam.Acting acting = seam.acting(AuditAction.C, "bulk-import", "Bundle", null,
                caller -> AccessSeam.Bound.tenant(policy.bulkImportTenant(caller, types)));
        types.forEach(this::requireImportableType);
        List<NewInput> ordered = inputs.stream().sorted(Comparator.comparingInt(i -> rank(i.type())))
                .map(this::newInput).toList();
        UUID id = UUID.randomUUID();
        jobs.create(new ImportJob(id, acting.tenant(), "ndjson", ImportJob.Phase.QUEUED,
                CallerSnapshot.toJson(acting.caller()), requestUrl, null, null, null, 0, 0, 0, 0, 0, null), ordered);
        if (crashAfterChunks != null && !faults.arm(id, crashAfterChunks)) {
            throw new IllegalArgumentException("EHR-1006 unknown parameter _crashAfterChunks");
        }
        acting.done(id.toString(), null, "bulk import job " + id + ": " + inputs.size() + " input(s) of "
                + String.join(", ", types));
        transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    worker.wake(); // the instance that accepted the job starts it now, not at its next poll
                }
            }
        });
        return id;
    }

    /**
     * Cancels a job (DELETE on its status URL): the same write decision as starting one, into the caller's
     * institution. What the job committed before stays (each chunk whole); the chunk in flight rolls back (its run
     * finds the job no longer leased). A job cancelled while loading has its persons audited here, once, as the end
     * of its load would have (the job's caller wrote about them). Returns false if the job had already ended.
     */
    @Transactional
    public boolean cancel(UUID id) {
        AccessSeam.Acting acting = seam.acting(AuditAction.D, "bulk-import-cancel", "Bundle", id.toString(),
                caller -> AccessSeam.Bound.tenant(policy.bulkImportTenant(caller, List.of("Patient"))));
        ImportJob job = jobs.find(id).orElseThrow(() -> new UnknownJobException(id));
        Optional<ImportJob.Phase> was = jobs.cancel(id);
        if (was.isPresent() && was.get() != ImportJob.Phase.VALIDATING) {
            ImportJob now = jobs.find(id).orElseThrow();
            seam.writingFor(CallerSnapshot.fromJson(job.requestedBy()), AuditAction.C, "bulk-import", "Bundle",
                    null).wroteAbout("bulk-import", "Bundle", jobs.personsOf(id), "bulk import job " + id
                    + " (cancelled): " + now.committed() + " resources stored, " + now.failed() + " lines refused");
        }
        acting.done(id.toString(), null, "bulk import job " + id + (was.isPresent() ? " cancelled while "
                + was.get().code() : " not cancelled: already " + job.phase().code()));
        return was.isPresent();
    }

    @Transactional
    public JobView status(UUID id) {
        readable(id);
        return new JobView(jobs.find(id).orElseThrow(), jobs.inputs(id));
    }

    @Transactional
    public List<ImportLineError> errors(UUID id, int afterOrdinal, int afterLine, int limit) {
        readable(id);
        return jobs.errorsOf(id, afterOrdinal, afterLine, limit);
    }

    @Transactional
    public List<ImportLineError> issues(UUID id, int afterOrdinal, int afterLine, int limit) {
        readable(id);
        return jobs.issuesOf(id, afterOrdinal, afterLine, limit);
    }

    /** The institution's recent jobs (the admin console's list). */
    @Transactional
    public List<ImportJob> recent() {
        seam.acting(AuditAction.R, "bulk-import-status", "Bundle", null,
                caller -> AccessSeam.Bound.tenant(policy.bulkImportTenant(caller, List.of("Patient"))));
        return jobs.recent(50);
    }

    /** Those who may import into the institution see its jobs; a job of another institution is unknown (RLS). */
    private void readable(UUID id) {
        seam.acting(AuditAction.R, "bulk-import-status", "Bundle", id.toString(),
                caller -> AccessSeam.Bound.tenant(policy.bulkImportTenant(caller, List.of("Patient"))));
        Optional<ImportJob> job = jobs.find(id);
        if (job.isEmpty()) {
            throw new UnknownJobException(id);
        }
    }

    private void requireImportableType(String type) {
        if (!fhir.getResourceTypes().contains(type) || "Bundle".equals(type)) {
            throw new IllegalArgumentException("EHR-1001 " + type + " is not a resource type that can be imported");
        }
    }

    private NewInput newInput(Input in) {
        if (in.content() != null) {
            return new NewInput(in.type(), ImportInput.UPLOAD, in.content());
        }
        sources.file(in.url());
        return new NewInput(in.type(), in.url(), null);
    }

    /** Patients first (records about them take their person), Provenance last (it is about its targets). */
    private static int rank(String type) {
        return "Patient".equals(type) ? 0 : "Provenance".equals(type) ? 2 : 1;
    }

    /** A job that does not exist or belongs to another institution: answered alike (404). */
    public static final class UnknownJobException extends RuntimeException {
        UnknownJobException(UUID id) {
            super("EHR-1005 no import job " + id);
        }
    }
}
