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

    /** True when the index answers and is at least yellow. */
    boolean healthy();

    /** A stored version plus the fields derived from its content for searching. */
    record IndexedRecord(StoredResource stored, java.util.Map<String, Object> searchFields) {
    }
}
