package health.meridian.domain.search;

import health.meridian.domain.record.StoredResource;
import java.util.List;

/** Port to the search mirror (Elasticsearch in production and locally). A derived, rebuildable copy. */
public interface RecordIndex {

    /**
     * Ships stored versions; idempotent by (document, version): an older version never replaces a newer one.
     * Returns the documents the index refused for good (by document id, with the reason); throws when the index
     * is unreachable or refuses for a passing reason (overload), so the whole batch is retried later.
     */
    java.util.Map<String, String> ship(List<IndexedRecord> records) throws IndexUnavailableException;

    /** Makes everything shipped so far visible to searches (read-your-writes). */
    void refresh() throws IndexUnavailableException;

    /** Runs a query; the tenant scope is part of every query and cannot be left out. */
    SearchResult search(RecordQuery query) throws IndexUnavailableException;

    /** Document id ({@code tenant/type/id}) to version of every document of one institution in the index. */
    java.util.Map<String, Long> versions(health.meridian.domain.tenant.TenantId tenant) throws IndexUnavailableException;

    /** Removes documents by id (documents the system of record no longer has). */
    void remove(List<String> documentIds) throws IndexUnavailableException;

    /**
     * Starts a rebuild: creates a new, empty index behind the alias's back and, from now on, also ships every
     * change to it (so writes made during the rebuild are not lost). Returns the new index's name.
     */
    String beginRebuild() throws IndexUnavailableException;

    /** Loads current versions into the index being rebuilt (external versioning: a newer shipped one wins). */
    void load(String rebuildIndex, List<IndexedRecord> records) throws IndexUnavailableException;

    /**
     * Makes the rebuilt index the live one: refreshes it, then moves the alias to it in one atomic step (searches
     * never see an empty or half-built index), stops the double shipping and deletes the previous index.
     */
    void completeRebuild(String rebuildIndex) throws IndexUnavailableException;

    /** Gives a rebuild up: stops the double shipping and deletes the partial index; the live one is untouched. */
    void abortRebuild(String rebuildIndex);

    /** The concrete index the alias points at. */
    String liveIndex() throws IndexUnavailableException;

    /** True when the index answers and is at least yellow. */
    boolean healthy();

    /** A stored version plus the fields derived from its content for searching. */
    record IndexedRecord(StoredResource stored, java.util.Map<String, Object> searchFields) {
    }

    /**
     * Relaxes the live index's refresh ({@code true}: every 30 s, while a backlog such as a bulk load's is shipped)
     * or restores it (1 s). Read-your-writes refreshes explicitly, so a relaxed index delays no reader who asked.
     */
    void relaxRefresh(boolean relaxed) throws IndexUnavailableException;
}
