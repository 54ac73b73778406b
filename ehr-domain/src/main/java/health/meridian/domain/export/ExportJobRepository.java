package health.meridian.domain.export;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bulk export jobs and their output files. Reads and writes run under the transaction's row-level security binding
 * (the caller's institution or person); the claim and the expiry are the worker's, across everyone's jobs.
 */
public interface ExportJobRepository {

    void create(ExportJob job);

    Optional<ExportJob> find(UUID id);

    /** Leases the oldest queued or running job without a live lease to {@code owner}; marks it running. */
    Optional<ExportJob> claimNext(String owner, Duration lease);

    /** Renews the lease while {@code owner} still holds it; false when it was lost (taken over, cancelled). */
    boolean renew(UUID job, String owner, Duration lease);

    void release(UUID job, String owner);

    /** One piece of an output file: lines of one type, in file {@code part}, at {@code seq} of the job. */
    record Chunk(int seq, String type, int part, int lines, String content) {
    }

    /** The chunks of the next person(s) and the checkpoint after them, together (one transaction). */
    void exported(UUID job, int personsDone, List<Chunk> chunks);

    /** The highest chunk seq written so far (0: none): a resumed run numbers its chunks after it. */
    int lastSeq(UUID job);

    /** The output files so far: per type and part, how many lines (resources), in type then part order. */
    List<FileSummary> files(UUID job);

    record FileSummary(String type, int part, long lines) {
    }

    /** The contents of the file's chunks after {@code afterSeq}, at most {@code limit}, in order; with their seq. */
    List<Chunk> chunks(UUID job, String type, int part, int afterSeq, int limit);

    /** Ends the job: its status and message, its files kept for {@code retention} from now. */
    void finish(UUID job, ExportJob.Status status, String message, Duration retention);

    /** Cancelled by its requester: status cancelled, files deleted at once. */
    void cancel(UUID job);

    /** Deletes jobs whose retention time has passed and cancelled jobs (their files with them); how many. */
    int expire();
}
