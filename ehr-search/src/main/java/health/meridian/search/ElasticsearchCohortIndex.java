package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.FieldAndFormat;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import health.meridian.domain.search.CohortIndex;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Population queries on the mirror: person sets by paging a {@code composite} aggregation on {@code person}
 * (exact, unlike {@code terms}/{@code cardinality}), person-day pairs for temporal relations, and the patient
 * documents (doc values only, {@code search_after}) for demographics and breakdowns. Queries are built by
 * {@link QueryTranslator#scoped}, so the caller's scope is always the first filter.
 */
public class ElasticsearchCohortIndex implements CohortIndex {

    static final int PAGE = 10_000;
    private static final long DAY_MS = 86_400_000L;

    private final ElasticsearchClient client;
    private final IndexNames names;

    public ElasticsearchCohortIndex(ElasticsearchClient client, IndexNames names) {
        this.client = client;
        this.names = names;
    }

    @Override
    public Set<String> persons(RecordQuery query) throws IndexUnavailableException {
        Set<String> out = new HashSet<>();
        composite(query, List.of(Map.of("person", terms("person"))), b -> out.add(b.key().get("person").stringValue()));
        return out;
    }

    @Override
    public Map<String, int[]> days(RecordQuery query) throws IndexUnavailableException {
        Map<String, TreeSet<Integer>> byPerson = new HashMap<>();
        List<Map<String, CompositeAggregationSource>> sources = List.of(Map.of("person", terms("person")),
                Map.of("day", CompositeAggregationSource.of(s -> s.dateHistogram(h -> h.field("effective")
                        .calendarInterval(t -> t.time("1d")).timeZone("UTC")))));
        composite(query, sources, b -> byPerson.computeIfAbsent(b.key().get("person").stringValue(),
                p -> new TreeSet<>()).add((int) Math.floorDiv(b.key().get("day").longValue(), DAY_MS)));
        Map<String, int[]> out = new HashMap<>();
        byPerson.forEach((p, d) -> out.put(p, d.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** Patient documents read from doc values only: the stored FHIR JSON (_source) is never loaded or parsed. */
    @Override
    public List<PatientFacts> patients(RecordQuery query) throws IndexUnavailableException {
        Query q = Query.of(b -> b.bool(QueryTranslator.scoped(query)));
        List<FieldAndFormat> fields = List.of(field("person", null), field("tenant", null), field("patient", null),
                field("gender", null), field("birthdate", "yyyy-MM-dd"));
        List<PatientFacts> out = new ArrayList<>();
        List<FieldValue> after = null;
        try {
            while (true) {
                final List<FieldValue> cursor = after;
                SearchResponse<Void> page = client.search(s -> {
                    s.index(names.alias()).query(q).size(PAGE).trackTotalHits(t -> t.enabled(false))
                            .source(src -> src.fetch(false)).docvalueFields(fields)
                            .sort(o -> o.field(f -> f.field("doc_key")));
                    if (cursor != null) {
                        s.searchAfter(cursor);
                    }
                    return s;
                }, Void.class);
                List<Hit<Void>> hits = page.hits().hits();
                hits.forEach(h -> out.add(new PatientFacts(first(h, "person"), first(h, "tenant"), first(h, "patient"),
                        first(h, "gender"), birthDate(first(h, "birthdate")))));
                if (hits.size() < PAGE) {
                    return out;
                }
                after = hits.get(hits.size() - 1).sort();
            }
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
    }

    private static FieldAndFormat field(String name, String format) {
        return FieldAndFormat.of(f -> format == null ? f.field(name) : f.field(name).format(format));
    }

    private static String first(Hit<Void> hit, String field) {
        JsonData values = hit.fields().get(field);
        if (values == null) {
            return null;
        }
        jakarta.json.JsonValue json = values.toJson();
        if (json instanceof jakarta.json.JsonArray array && !array.isEmpty()) {
            return array.getString(0);
        }
        return null;
    }

    /** FHIR dates may be partial (yyyy, yyyy-MM): a partial date counts as its first day. */
    static LocalDate birthDate(String value) {
        if (value == null || value.length() < 4) {
            return null;
        }
        String v = value.length() == 4 ? value + "-01-01" : value.length() == 7 ? value + "-01" : value.substring(0, 10);
        return LocalDate.parse(v);
    }

    private void composite(RecordQuery query, List<Map<String, CompositeAggregationSource>> sources,
                           Consumer<CompositeBucket> each) throws IndexUnavailableException {
        Query q = Query.of(b -> b.bool(QueryTranslator.scoped(query)));
        Map<String, FieldValue> after = null;
        try {
            while (true) {
                final Map<String, FieldValue> cursor = after;
                SearchResponse<Void> response = client.search(s -> s.index(names.alias()).size(0).query(q)
                        .trackTotalHits(t -> t.enabled(false))
                        .aggregations("k", a -> a.composite(c -> {
                            c.size(PAGE).sources(sources);
                            if (cursor != null) {
                                c.after(cursor);
                            }
                            return c;
                        })), Void.class);
                CompositeAggregate agg = response.aggregations().get("k").composite();
                List<CompositeBucket> buckets = agg.buckets().array();
                buckets.forEach(each);
                if (buckets.size() < PAGE || agg.afterKey() == null || agg.afterKey().isEmpty()) {
                    return;
                }
                after = agg.afterKey();
            }
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
    }

    private static CompositeAggregationSource terms(String field) {
        return CompositeAggregationSource.of(s -> s.terms(t -> t.field(field)));
    }
}
