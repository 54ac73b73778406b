package health.meridian.domain.record;

import health.meridian.domain.search.RecordQuery;
import java.time.Instant;

/**
 * A type-level history query over the record store: the versions of one resource type that a {@link
 * RecordQuery.Scope scope} admits (the same scope a search of the caller gets), recorded at or after {@code since}
 * (null = no bound), newest first, after the cursor {@code after} (null = first page), at most {@code limit}.
 */
public record HistoryQuery(String type, RecordQuery.Scope scope, Instant since, VersionCursor after, int limit) {

    public HistoryQuery {
        if (scope == null) {
            throw new IllegalArgumentException("EHR-0201 a history query always has a scope");
        }
        if (type == null || !type.matches("^[A-Z][A-Za-z]{1,63}$")) {
            throw new IllegalArgumentException("EHR-0203 a history query names one resource type");
        }
        if (limit < 0 || limit > RecordQuery.MAX_COUNT + 1) {
            throw new IllegalArgumentException("EHR-0202 _count must be between 0 and " + RecordQuery.MAX_COUNT);
        }
    }

    /** Where a page of versions ended: the order is recorded time, then tenant, id and version, all descending. */
    public record VersionCursor(Instant recordedAt, String tenant, String id, int version) {

        public VersionCursor {
            if (recordedAt == null || tenant == null || id == null) {
                throw new IllegalArgumentException("EHR-0510 invalid or expired paging link");
            }
        }

        public static VersionCursor of(StoredResource stored) {
            return new VersionCursor(stored.recordedAt(), stored.key().tenant().value(), stored.key().id(),
                    stored.version());
        }
    }
}
