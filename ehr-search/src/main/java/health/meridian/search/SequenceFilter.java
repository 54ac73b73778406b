package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.aggregations.HistogramBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import health.meridian.domain.cohort.Sequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A temporal relation ("then within N days after first") as a filter on person documents. Relating two events of
 * one person needs a script (painless), which the local Elasticsearch does not have; so the relation is decided
 * per candidate: the persons of the population with a {@code first} and a {@code then} event in scope (nested
 * filters) are paged with a {@code composite} aggregation that returns, per person, the distinct UTC days of each
 * side (nested {@code histogram} on {@code events.day}); the check is a merge over the sorted days; the persons
 * that pass become an {@code ids} filter in the cohort query. Cost: linear in the candidates, not the population.
 */
final class SequenceFilter {

    static final int PAGE = 5_000;

    private final ElasticsearchClient client;
    private final String index;

    SequenceFilter(ElasticsearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    Query filter(Sequence s, CohortQueries queries) {
        Query candidates = Query.of(q -> q.bool(b -> b.filter(queries.population())
                .filter(queries.node(s.first())).filter(queries.node(s.then()))));
        Map<String, Aggregation> days = Map.of(
                "first", days(queries, s.first()),
                "then", days(queries, s.then()));
        List<String> persons = new ArrayList<>();
        Map<String, FieldValue> after = null;
        try {
            while (true) {
                final Map<String, FieldValue> cursor = after;
                SearchResponse<Void> response = client.search(r -> r.index(index).size(0).query(candidates)
                        .trackTotalHits(t -> t.enabled(false))
                        .aggregations("p", a -> a.composite(c -> {
                            c.size(PAGE).sources(List.of(Map.of("person", CompositeAggregationSource.of(
                                    x -> x.terms(t -> t.field("person"))))));
                            if (cursor != null) {
                                c.after(cursor);
                            }
                            return c;
                        }).aggregations(days)), Void.class);
                CompositeAggregate agg = response.aggregations().get("p").composite();
                for (CompositeBucket b : agg.buckets().array()) {
                    if (follows(days(b, "first"), days(b, "then"), s.withinDays())) {
                        persons.add(b.key().get("person").stringValue());
                    }
                }
                if (agg.buckets().array().size() < PAGE || agg.afterKey() == null || agg.afterKey().isEmpty()) {
                    break;
                }
                after = agg.afterKey();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Query.of(q -> q.ids(i -> i.values(persons)));
    }

    private static Aggregation days(CohortQueries queries, health.meridian.domain.cohort.Criterion c) {
        return Aggregation.of(a -> a.nested(n -> n.path(PersonDocuments.EVENTS))
                .aggregations("m", m -> m.filter(f -> f.bool(queries.events(c)))
                        .aggregations("d", d -> d.histogram(h -> h.field("events.day").interval(1.0).minDocCount(1)))));
    }

    private static int[] days(CompositeBucket bucket, String side) {
        List<HistogramBucket> buckets = bucket.aggregations().get(side).nested().aggregations().get("m").filter()
                .aggregations().get("d").histogram().buckets().array();
        return buckets.stream().mapToInt(h -> (int) h.key()).toArray();
    }

    /** A day b of {@code then} and a day a of {@code first} with 0 <= b - a <= withinDays (both sorted). */
    static boolean follows(int[] firstDays, int[] thenDays, int withinDays) {
        int i = 0;
        for (int b : thenDays) {
            while (i < firstDays.length && firstDays[i] < b - withinDays) {
                i++;
            }
            if (i < firstDays.length && firstDays[i] <= b) {
                return true;
            }
        }
        return false;
    }
}
