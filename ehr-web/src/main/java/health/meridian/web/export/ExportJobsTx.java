package health.meridian.web.export;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.export.ExportJob;
import health.meridian.domain.export.ExportJobRepository;
import health.meridian.domain.export.ExportJobRepository.Chunk;
import health.meridian.domain.record.StoredResource;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.fhir.RecordResources;
import health.meridian.web.ingest.CallerSnapshot;
import health.meridian.web.record.RecordService;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.Disclosure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** The export worker's transactions: claim, one person exported (judged, audited, stored), finish, expiry. */
@ApplicationScoped
public class ExportJobsTx {

    /** At most this many records of one person are exported (as {@code $everything}'s cap). */
    static final int PERSON_LIMIT = 20_000;

    @Inject
    ExportJobRepository jobs;
    @Inject
    TenantBinding binding;
    @Inject
    AccessSeam seam;
    @Inject
    RecordService records;
    @Inject
    RecordResources resources;
    @Inject
    FhirContext fhir;
    @Inject
    ExportFilters filters;

    /** Claims the next job due and prepares its run (files as its committed chunks left them). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ExportRun> claim(String owner, Duration lease, int perFile) {
        return jobs.claimNext(owner, lease).map(job -> new ExportRun(job, CallerSnapshot.fromJson(job.requestedBy()),
                owner, lease, new ExportFiles(perFile, jobs.files(job.id()), jobs.lastSeq(job.id()))));
    }

    /**
     * Exports the person at {@code index} of the job, in one transaction: their records at every institution that
     * the seam lets the job's caller read now (consent and revocations as at this moment) and, of a type with
     * {@code _typeFilter} searches, that one of them finds ({@link ExportFilters}), disclosed to the audit
     * trail for that person (one event per custodian and person), cut into the job's files, and the checkpoint moved
     * — so a person is exported and audited exactly once, whichever instance resumes the job.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int exportPerson(ExportRun run, int index) {
        ExportJob job = run.job();
        AccessSeam.Reading reading = seam.readingFor(run.caller(), "bulk-export", "Patient", null)
                .describedAs(e -> e.withQuery(job.requestUrl()).withDetail("$export job " + job.id()));
        String person = job.persons().get(index);
        List<StoredResource> found = filters.kept(reading, person, run.filters(),
                records.compartment(reading, person, job.since(), job.types(), PERSON_LIMIT));
        if (!found.isEmpty()) {
            reading.disclosed(found.stream().map(Disclosure::of).toList());
        }
        Map<String, List<String>> byType = new TreeMap<>();
        for (StoredResource s : found) {
            byType.computeIfAbsent(s.key().type(), t -> new ArrayList<>())
                    .add(fhir.newJsonParser().encodeResourceToString(resources.of(s)));
        }
        List<Chunk> chunks = new ArrayList<>();
        byType.forEach((type, lines) -> chunks.addAll(run.files().cut(type, lines)));
        if (!jobs.renew(job.id(), run.owner(), run.lease())) {
            throw new ExportStoppedException(job.id());
        }
        jobs.exported(job.id(), index + 1, chunks);
        return found.size();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(UUID job, ExportJob.Status status, String message, Duration retention) {
        jobs.finish(job, status, message, retention);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(UUID job, String owner) {
        jobs.release(job, owner);
    }

    /** Deletes expired and cancelled jobs with their files; how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int expire() {
        return jobs.expire();
    }

    /** The run cannot go on here: its lease was lost or its requester cancelled it. */
    static final class ExportStoppedException extends RuntimeException {
        ExportStoppedException(UUID job) {
            super("EHR-1140 export job " + job + " was cancelled or taken over");
        }
    }
}
