package health.meridian.domain.search;

import java.util.List;
import java.util.Map;

/**
 * Matching documents: the total, the hits in order (with the sort values to continue after each), and the
 * requested facet buckets and monthly histogram.
 */
public record SearchResult(long total, List<Hit> hits, Map<String, List<Bucket>> facets, List<Bucket> histogram) {

    public SearchResult(long total, List<Hit> hits) {
        this(total, hits, Map.of(), List.of());
    }

    public static SearchResult empty() {
        return new SearchResult(0, List.of());
    }

    /** {@code json} is the stored FHIR resource, or null when the query asked without it. */
    public record Hit(String tenant, String type, String id, long version, String json, Map<String, Object> fields,
                      List<Object> sortValues) {
    }

    public record Bucket(String key, long count) {
    }
}
