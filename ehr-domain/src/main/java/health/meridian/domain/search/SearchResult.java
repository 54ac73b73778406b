package health.meridian.domain.search;

import java.util.List;

/** Matching documents: total and the stored resource JSON of each hit, in order. */
public record SearchResult(long total, List<Hit> hits) {

    public record Hit(String tenant, String type, String id, long version, String json) {
    }
}
