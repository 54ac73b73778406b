package health.meridian.domain.search;

import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.tenant.TenantId;
import java.util.List;
import java.util.Map;

/**
 * Port to the person cohort index: derived from the same shipped record versions as the records index, one
 * document per person holding that person's patient records and cohort-relevant facts. Like the records index it
 * is rebuildable from the system of record and reconciled against it.
 */
public interface PersonIndex {

    /**
     * Applies shipped versions, in order, to their persons' documents (one rewrite per person per call):
     * idempotent, an older version never replaces a newer one, a deletion removes the entry. Throws when the index
     * is unreachable or a concurrent writer changed a person meanwhile, so the batch is retried later.
     */
    void apply(List<IndexedRecord> records) throws IndexUnavailableException;

    /** Entry key ({@code tenant/type/id}) to person and version, for every entry of one institution. */
    Map<String, Entry> entries(TenantId tenant) throws IndexUnavailableException;

    /** Removes entries (by key, from the named persons' documents) the system of record no longer has. */
    void remove(Map<String, Entry> entries) throws IndexUnavailableException;

    /** Starts a rebuild into a new index; from now on {@link #apply} writes to both. Returns the new index. */
    String beginRebuild() throws IndexUnavailableException;

    /** Applies current versions to the index being rebuilt. */
    void load(String rebuildIndex, List<IndexedRecord> records) throws IndexUnavailableException;

    /** Refreshes the rebuilt index, moves the alias to it atomically and deletes the previous index. */
    void completeRebuild(String rebuildIndex) throws IndexUnavailableException;

    /** Gives a rebuild up: deletes the partial index; the live one is untouched. */
    void abortRebuild(String rebuildIndex);

    /** Makes everything applied so far visible to cohort queries (read-your-writes). */
    void refresh() throws IndexUnavailableException;

    /** Number of person documents (for health and metrics); -1 when unknown. */
    long persons();

    /** One entry of a person document: whose it is and which version of the record it reflects. */
    record Entry(String person, long version) {
    }

    /**
     * Relaxes the live index's refresh ({@code true}: every 30 s, while a backlog such as a bulk load's is shipped)
     * or restores it (1 s). Read-your-writes refreshes explicitly, so a relaxed index delays no reader who asked.
     */
    void relaxRefresh(boolean relaxed) throws IndexUnavailableException;
}
