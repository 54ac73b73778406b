package health.meridian.domain.ingest;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bulk import jobs and their checkpoints. Every method but {@link #claimNext} runs bound to the job's tenant
 * (row-level security); a checkpoint moves in the transaction of the chunk it records, which is what makes a
 * resumed job store every line exactly once.
 */
public interface ImportJobRepository {

    /** A new job (queued) with its inputs, ordinal = position in the list. */
    void create(ImportJob job, List<NewInput> inputs);

    record NewInput(String resourceType, String source, String content) {
    }

    Optional<ImportJob> find(UUID id);

    /**
     * The oldest active job without a live lease, leased to {@code owner} (its runs counter moves on): a job whose
     * instance died is taken over once the lease expires; only jobs in one of {@code phases} (loads and validations
     * are claimed by separate workers, so a long validation never holds up the next job's load). Runs as the import
     * worker (every institution).
     */
    Optional<ImportJob> claimNext(String owner, Duration lease, java.util.Set<ImportJob.Phase> phases);

    /** Renews the lease; false if another owner holds the job now (this run must stop). */
    boolean renew(UUID job, String owner, Duration lease);

    /** Gives up a lease (a run that ends without finishing, e.g. on shutdown). */
    void release(UUID job, String owner);

    List<ImportInput> inputs(UUID job);

    /** The uploaded body of an input. */
    Optional<String> content(UUID job, int ordinal);

    /** The load's checkpoint of one input and the job's counters, in the chunk's transaction. */
    void loaded(UUID job, int ordinal, int linesDone, int committed, int failed);

    /** The validation's checkpoint of one input and the job's counters, in the chunk's transaction. */
    void validated(UUID job, int ordinal, int validatedLines, int validated, int quarantined);

    void errors(UUID job, Collection<ImportLineError> errors);

    void issues(UUID job, Collection<ImportLineError> issues);

    void persons(UUID job, Collection<String> persons);

    List<String> personsOf(UUID job);

    void phase(UUID job, ImportJob.Phase phase, String message);

    /** The error file: refused lines in input and line order, after (ordinal, line), at most {@code limit}. */
    List<ImportLineError> errorsOf(UUID job, int afterOrdinal, int afterLine, int limit);

    /** The validation report, likewise. */
    List<ImportLineError> issuesOf(UUID job, int afterOrdinal, int afterLine, int limit);

    /** The institution's jobs, newest first (the admin console's list). */
    List<ImportJob> recent(int limit);

    /**
     * Cancels an active job: it becomes cancelled and unleased, so the run working on it loses its lease at its next
     * chunk (which then rolls back). Waits for a chunk in flight to commit or roll back (the job row's lock); returns
     * the phase it had, or empty if it was not active (already complete, failed or cancelled).
     */
    Optional<ImportJob.Phase> cancel(UUID job);
}
