package health.meridian.domain.record;

import health.meridian.domain.search.RecordQuery;
import java.time.Instant;

/**
 * A history query over the record store: the versions of one resource type (null: of every type, the system-level
 * history) that a {@link
 * RecordQuery.Scope scope} admits (the same scope a search of the caller gets), recorded at or after {@code since}
 * (null = no bound), newest first (recorded time, then tenant, id and version, descending), skipping
 * {@code offset}, at most {@code limit}.
 */
public record HistoryQuery(String type, RecordQuery.Scope scope, Instant since, int offset, int limit) {

    public HistoryQuery {
        if (scope == null) {
            throw new IllegalArgumentException("EHR-0201 a history query always has a scope");
        }
        if (type != null && !type.matches("^[A-Z][A-Za-z]{1,63}$")) {
            throw new IllegalArgumentException("EHR-0203 a history query names one resource type or none");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("EHR-0204 _offset must not be negative");
        }
        if (limit < 0 || limit > RecordQuery.MAX_COUNT + 1) {
            throw new IllegalArgumentException("EHR-0202 _count must be between 0 and " + RecordQuery.MAX_COUNT);
        }
    }
}
