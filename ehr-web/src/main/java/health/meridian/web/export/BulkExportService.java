package health.meridian.web.export;

import health.meridian.domain.export.ExportJob;
import health.meridian.domain.export.ExportJobRepository;
import health.meridian.domain.export.ExportJobRepository.Chunk;
import health.meridian.domain.export.ExportJobRepository.FileSummary;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.cohort.CohortService;
import health.meridian.web.ingest.CallerSnapshot;
import health.meridian.web.record.TenantService;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * FHIR Bulk Data export (ADR 0026): the kick-off decides through the seam whether the caller may export at that
 * level ({@link AccessSeam.Reading#requireExport}), fixes the persons the job covers and queues it (audited as one
 * event for the job); {@link ExportWorker} exports each person's records as the seam lets the caller read them then.
 * Status, files and cancellation are found only by the caller who started the job ({@link AccessSeam#exportJob}).
 */
@ApplicationScoped
public class BulkExportService {

    @Inject
    AccessSeam seam;
    @Inject
    ExportJobRepository jobs;
    @Inject
    TenantService tenants;
    @Inject
    CohortService cohorts;
    @Inject
    RecordRepository records;

    /** Queues an export for the caller; its id. */
    @Transactional
    public UUID start(ExportRequest request) {
        String type = switch (request.level()) {
            case SYSTEM -> null;
            case PATIENT -> "Patient";
            case GROUP -> "Group";
        };
        AccessSeam.Reading reading = seam.reading("bulk-export", type, request.groupId())
                .describedAs(e -> e.withQuery(request.requestUrl()));
        reading.requireExport(request.level());
        Caller caller = reading.caller();
        List<String> persons = request.level() == ExportJob.Level.GROUP
                ? members(caller.requireTenant(), request.groupId())
                : reading.exportsWholeInstitution().map(records::personsHeldBy)
                        .orElseGet(() -> reading.exportPersons(tenants.all().stream().map(Institution::id).toList()));
        reading.rebind();
        UUID id = UUID.randomUUID();
        String institution = reading.exportInstitution().map(TenantId::value).orElse(null);
        jobs.create(new ExportJob(id, institution, institution == null ? caller.personId().orElseThrow() : null,
                caller.subject(), CallerSnapshot.toJson(caller),
                request.level(), request.groupId(), request.requestUrl(), request.types(),
                request.typeFilters().stream().map(TypeFilter::query).toList(), request.since(), persons,
                0, ExportJob.Status.QUEUED, Instant.now(), null, null, null));
        reading.describedAs(e -> e.withDetail("$export job " + id + " queued: " + persons.size() + " person(s)"))
                .answered();
        return id;
    }

    /** The persons of the Group's members (a saved cohort of the caller's institution); 404 for no such cohort. */
    private List<String> members(TenantId own, String groupId) {
        List<String> refs = cohorts.exportMembers(own, groupId).orElseThrow(() -> new UnknownJobException(
                "EHR-1135 no Group " + groupId));
        Set<String> persons = new LinkedHashSet<>();
        for (String ref : refs) {
            String id = ref.substring(ref.indexOf('/') + 1);
            records.personOf(new ResourceKey(own, "Patient", id)).ifPresent(persons::add);
        }
        return List.copyOf(persons);
    }

    /** The caller's own job, not expired or cancelled; 404 otherwise. */
    @Transactional
    public ExportStatus status(UUID id) {
        ExportJob job = own(id);
        List<FileSummary> files = job.status() == ExportJob.Status.COMPLETE ? jobs.files(id) : List.of();
        return new ExportStatus(job, files);
    }

    /** Cancels the caller's own job (DELETE on its status URL): its files go at once, its status is 404 after. */
    @Transactional
    public void cancel(UUID id) {
        own(id);
        jobs.cancel(id);
    }

    /** A page of one output file of the caller's own completed job. */
    @Transactional
    public List<Chunk> file(UUID id, String type, int part, int afterSeq, int limit) {
        ExportJob job = own(id);
        if (job.status() != ExportJob.Status.COMPLETE) {
            throw new UnknownJobException("EHR-1138 no such export file");
        }
        return jobs.chunks(id, type, part, afterSeq, limit);
    }

    private ExportJob own(UUID id) {
        return seam.exportJob(c -> jobs.find(id))
                .filter(j -> j.status() != ExportJob.Status.CANCELLED && !j.expiredAt(Instant.now()))
                .orElseThrow(() -> new UnknownJobException("EHR-1138 no export job " + id));
    }

    /** A job's state and, once complete, its files. */
    public record ExportStatus(ExportJob job, List<FileSummary> files) {
    }

    /** Not found, or not the caller's: the same answer (404). */
    public static final class UnknownJobException extends RuntimeException {
        UnknownJobException(String message) {
            super(message);
        }
    }
}
