package health.meridian.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.search.SearchResult.Bucket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an Elasticsearch response into a {@link SearchResult}. */
final class QueryResults {

    private QueryResults() {
    }

    static SearchResult from(SearchResponse<Map<String, Object>> response, RecordQuery query) {
        List<SearchResult.Hit> hits = response.hits().hits().stream().map(h -> hit(h, query.withResource())).toList();
        long total = response.hits().total() == null ? hits.size() : response.hits().total().value();
        Map<String, List<Bucket>> facets = new LinkedHashMap<>();
        for (String field : query.facets()) {
            Aggregate agg = response.aggregations().get(field);
            facets.put(field, agg == null ? List.of() : agg.sterms().buckets().array().stream()
                    .map(b -> new Bucket(b.key().stringValue(), b.docCount())).toList());
        }
        List<Bucket> histogram = new ArrayList<>();
        Aggregate h = response.aggregations().get("histogram");
        if (h != null) {
            h.dateHistogram().buckets().array()
                    .forEach(b -> histogram.add(new Bucket(b.keyAsString(), b.docCount())));
        }
        return new SearchResult(total, hits, facets, histogram);
    }

    /** A hit: its fields from {@code _source}, the resource's JSON (when asked) as stored, untouched. */
    static SearchResult.Hit hit(Hit<Map<String, Object>> h, boolean withResource) {
        Map<String, Object> source = new LinkedHashMap<>(h.source());
        source.remove("resource"); // an older mapping's copy (ADR 0037): never answered
        List<Object> sortValues = h.sort().stream().map(QueryResults::plain).toList();
        return new SearchResult.Hit((String) source.get("tenant"), (String) source.get("type"),
                (String) source.get("id"), ((Number) source.get("version")).longValue(),
                RecordDocument.resource(h, withResource), source, sortValues);
    }

    private static Object plain(FieldValue v) {
        if (v.isLong()) {
            return v.longValue();
        }
        if (v.isDouble()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isNull() ? null : v.stringValue();
    }

    static FieldValue fieldValue(Object o) {
        if (o instanceof Long l) {
            return FieldValue.of(l);
        }
        if (o instanceof Integer i) {
            return FieldValue.of(i.longValue());
        }
        if (o instanceof Number n) {
            return FieldValue.of(n.doubleValue());
        }
        if (o instanceof Boolean b) {
            return FieldValue.of(b);
        }
        return o == null ? FieldValue.NULL : FieldValue.of(o.toString());
    }
}
