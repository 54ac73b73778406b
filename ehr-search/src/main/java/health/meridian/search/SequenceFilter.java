package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.aggregations.HistogramBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.ChildScoreMode;
import co.elastic.clients.elasticsearch._types.query_dsl.FunctionBoostMode;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import health.meridian.domain.cohort.Criterion;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import health.meridian.domain.cohort.Sequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A temporal relation ("then within N days after first": a then-event 0..N UTC days after a first-event) as a
 * filter on person documents, without scripts (the local Elasticsearch has no painless).
 *
 * <p>Days are cut into buckets of N+1 days. A pair (a, b) with 0 <= b - a <= N has both days in one bucket k, or a
 * in k and b in k+1; conversely, within one bucket b - a <= N holds for any pair, so "some b >= a in bucket k" is
 * max(then days in k) >= min(first days in k), and across k, k+1 it is min(then in k+1) - max(first in k) <= N. Both
 * are compared by scores: a nested clause over one side's events in one bucket scores the best event by
 * {@code field_value_factor} on {@code events.day_up} (offset + day) or {@code events.day_down} (offset - day)
 * ({@code score_mode: max}), the two sides' clauses are summed in a {@code bool}, and {@code function_score}'s
 * {@code min_score} keeps the persons for whom the sum reaches 2·offset (same bucket) or 2·offset - N (adjacent
 * buckets). The relation is the OR of those clauses over the buckets where both sides have events (found first by
 * two nested histograms over the population's persons having both sides — only they can qualify, and walking only
 * their events roughly halved the discovery at 1M persons). Scores are float32: exact for these integers
 * (< 2^24). A clause selects one side's events of one bucket with {@link CohortQueries#eventsOnDays} (led by that
 * bucket's code days).
 *
 * <p>When the buckets are too many for one query (a small N over a long span of years: more than
 * {@link #MAX_CLAUSES} clauses), the relation is decided per candidate instead: the persons with both sides are
 * paged with a {@code composite} aggregation returning each side's distinct days, checked by a merge, and enter the
 * query as an {@code ids} filter — exact too, but linear in the candidates.
 */
final class SequenceFilter {

    static final int PAGE = 5_000;
    static final int MAX_CLAUSES = 256;
    private static final int OFFSET = PersonDocuments.DAY_OFFSET;

    private final ElasticsearchClient client;
    private final String index;

    SequenceFilter(ElasticsearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    Query filter(Sequence s, CohortQueries queries) {
        int width = s.withinDays() + 1;
        try {
            SearchResponse<Void> response = client.search(r -> r.index(index).size(0)
                    .query(queries.populationWith(s.first(), s.then()))
                    .trackTotalHits(t -> t.enabled(false))
                    .aggregations("first", buckets(queries, s.first(), width))
                    .aggregations("then", buckets(queries, s.then(), width)), Void.class);
            Set<Long> first = keys(response, "first", width);
            Set<Long> then = keys(response, "then", width);
            List<Query> clauses = new ArrayList<>();
            for (long k : first) {
                if (then.contains(k)) {
                    clauses.add(pair(queries, s.then(), k, s.first(), k, width, 2L * OFFSET));
                }
                if (s.withinDays() > 0 && then.contains(k + 1)) {
                    clauses.add(pair(queries, s.first(), k, s.then(), k + 1, width, 2L * OFFSET - s.withinDays()));
                }
            }
            if (clauses.size() > MAX_CLAUSES) {
                return perCandidate(s, queries);
            }
            return Query.of(q -> q.bool(b -> b.should(clauses).minimumShouldMatch("1")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Persons whose best {@code up} event in bucket ku plus best {@code down} event in bucket kd reach the bar. */
    private static Query pair(CohortQueries queries, Criterion up, long ku, Criterion down, long kd, int width,
                              long bar) {
        Query sum = Query.of(q -> q.bool(b -> b.must(best(queries, up, ku, width, "events.day_up"),
                best(queries, down, kd, width, "events.day_down"))));
        return Query.of(q -> q.functionScore(f -> f.query(sum).minScore((double) bar)));
    }

    private static Query best(CohortQueries queries, Criterion c, long k, int width, String score) {
        Query events = Query.of(q -> q.bool(queries.eventsOnDays(c, (int) (k * width), (int) ((k + 1) * width))));
        Query scored = Query.of(q -> q.functionScore(f -> f.query(events).boostMode(FunctionBoostMode.Replace)
                .functions(fn -> fn.fieldValueFactor(v -> v.field(score)))));
        return Query.of(q -> q.nested(n -> n.path(PersonDocuments.EVENTS).scoreMode(ChildScoreMode.Max)
                .query(scored)));
    }

    /** One side's events in the population as a histogram of buckets of {@code width} days (1: its distinct days). */
    private static Aggregation buckets(CohortQueries queries, Criterion c, int width) {
        return Aggregation.of(a -> a.nested(n -> n.path(PersonDocuments.EVENTS))
                .aggregations("m", m -> m.filter(f -> f.bool(queries.eventsScoped(c)))
                        .aggregations("d", d -> d.histogram(h -> h.field("events.day").interval((double) width)
                                .minDocCount(1)))));
    }

    private static Set<Long> keys(SearchResponse<Void> response, String side, int width) {
        Set<Long> out = new TreeSet<>();
        response.aggregations().get(side).nested().aggregations().get("m").filter().aggregations().get("d")
                .histogram().buckets().array().forEach(b -> out.add(Math.floorDiv((long) b.key(), width)));
        return out;
    }

    private Query perCandidate(Sequence s, CohortQueries queries) {
        Query candidates = queries.populationWith(s.first(), s.then());
        Map<String, Aggregation> days = Map.of(
                "first", buckets(queries, s.first(), 1),
                "then", buckets(queries, s.then(), 1));
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
