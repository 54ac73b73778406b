package health.meridian.web.ingest;

import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.Caller;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of a job on this instance: who it writes for, its lease, the ids of its resources and what its committed
 * chunks taught it (the persons of its Patients, which records already stored here it referred to). Only ever
 * updated with what a chunk committed, so a chunk that rolls back leaves nothing behind.
 */
final class JobContext {

    static final String NOBODY = "";

    final UUID job;
    final TenantId tenant;
    final Caller caller;
    final String owner;
    final Duration lease;
    final JobIds ids;
    /** {@code Patient/id} → person, for the job's Patients committed so far (and stored ones looked up). */
    final Map<String, String> personOfPatient = new ConcurrentHashMap<>();
    /** Persons the job wrote about (registered by it, or checked for a care relationship once). */
    final Set<String> persons = ConcurrentHashMap.newKeySet();
    /** {@code Type/id} of records stored here before → their person (NOBODY: about no one). */
    final Map<String, String> storedTargets = new ConcurrentHashMap<>();
    /** Conditional reference → {@code Type/id}. */
    final Map<String, String> conditional = new ConcurrentHashMap<>();
    int chunks;

    JobContext(UUID job, TenantId tenant, Caller caller, String owner, Duration lease) {
        this.job = job;
        this.tenant = tenant;
        this.caller = caller;
        this.owner = owner;
        this.lease = lease;
        this.ids = new JobIds(job);
    }

    Optional<String> personOf(String patientRef) {
        return Optional.ofNullable(personOfPatient.get(patientRef));
    }

    void merge(ChunkWriter.Result result) {
        personOfPatient.putAll(result.personOfPatient());
        persons.addAll(result.persons());
        storedTargets.putAll(result.storedTargets());
        conditional.putAll(result.conditional());
        chunks++;
    }
}
