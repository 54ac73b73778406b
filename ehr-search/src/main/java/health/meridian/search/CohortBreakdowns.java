package health.meridian.search;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.FiltersBucket;
import co.elastic.clients.elasticsearch._types.aggregations.RangeBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The breakdowns of a cohort as aggregations on the cohort query, each cell an exact number of persons:
 * <ul>
 * <li>institution: nested patient records in scope, {@code terms} on the institution, {@code reverse_nested} (a
 * person registered at two institutions counts in both);</li>
 * <li>gender and age band at the index date: those of the person's patient record at the first institution of the
 * scope (by id) that has one (for the age band: one with a birth date) — a {@code filters} aggregation whose
 * filter for a cell is "a record at institution i with that value, and none at an institution before i"; what no
 * filter takes is "unknown";</li>
 * <li>year: of the earliest event matching the anchor criterion — persons with such an event before 1 January of
 * Y+1, minus those before 1 January of Y ({@code date_range} on the nested events, {@code reverse_nested}).</li>
 * </ul>
 * Institution, gender and age band are computed twice and added: for persons with exactly one patient record from
 * its top-level copy ({@code solo}: plain {@code terms}/{@code date_range}, which gives the cell the rules above give
 * for one record), for all others by the nested joins above (at 1M persons the joins cost ~0.5 s for every person).
 */
final class CohortBreakdowns {

    static final List<String> GENDERS = List.of("female", "male", "other", "unknown");
    static final List<String> AGE_BANDS = List.of("0-17", "18-39", "40-64", "65-79", "80+", "unknown");
    private static final String SOLO_TENANT = PersonDocuments.SOLO + ".tenant";
    private static final int[][] AGES = {{0, 18}, {18, 40}, {40, 65}, {65, 80}, {80, -1}};

    private final CohortQueries queries;
    private final LocalDate indexDate;

    CohortBreakdowns(CohortQueries queries, LocalDate indexDate) {
        this.queries = queries;
        this.indexDate = indexDate;
    }

    /**
     * Persons with a single patient record ({@code solo}, almost everybody) are counted by top-level aggregations
     * on its copy; only the others go through the nested joins ({@link #nestedAggregations}). Both give the same
     * cell for a solo person, so the split changes the cost, not the counts.
     */
    Map<String, Aggregation> aggregations() {
        Query solo = Query.of(q -> q.exists(e -> e.field(SOLO_TENANT)));
        Map<String, Aggregation> single = new LinkedHashMap<>();
        single.put("institution", Aggregation.of(a -> a.terms(t -> t.field(SOLO_TENANT).size(1000))));
        single.put("gender", Aggregation.of(a -> a.terms(t -> t.field("solo.gender").size(10))));
        single.put("ageBand", Aggregation.of(a -> a.dateRange(d -> {
            d.field("solo.birthdate").timeZone("UTC");
            for (int i = 0; i < AGES.length; i++) {
                String key = AGE_BANDS.get(i);
                // the band's birth dates: after bornBy(to), up to and including bornBy(from) (the index date for 0)
                String from = AGES[i][1] < 0 ? null : queries.bornBy(AGES[i][1]).plusDays(1).toString();
                String to = (AGES[i][0] == 0 ? indexDate : queries.bornBy(AGES[i][0])).plusDays(1).toString();
                d.ranges(r -> {
                    r.key(key).to(x -> x.expr(to));
                    return from == null ? r : r.from(x -> x.expr(from));
                });
            }
            return d;
        })));
        Map<String, Aggregation> aggs = new LinkedHashMap<>();
        aggs.put("solo", Aggregation.of(a -> a.filter(solo).aggregations(single)));
        aggs.put("multi", Aggregation.of(a -> a.filter(f -> f.bool(b -> b.mustNot(solo)))
                .aggregations(nestedAggregations())));
        return aggs;
    }

    /** The breakdowns through the nested patient records (persons with several of them, or none). */
    Map<String, Aggregation> nestedAggregations() {
        Map<String, Aggregation> aggs = new LinkedHashMap<>();
        aggs.put("institution", Aggregation.of(a -> a.nested(n -> n.path(PersonDocuments.PATIENTS))
                .aggregations("s", s -> s.filter(f -> f.bool(queries.inScope(PersonDocuments.PATIENTS).build()))
                        .aggregations("t", t -> t.terms(x -> x.field("patients.tenant").size(1000))
                                .aggregations("p", p -> p.reverseNested(r -> r))))));
        Map<String, Query> genders = new LinkedHashMap<>();
        GENDERS.subList(0, 3).forEach(g -> genders.put(g, first(CohortQueries.term("patients.gender", g), null)));
        aggs.put("gender", filters(genders));
        Map<String, Query> bands = new LinkedHashMap<>();
        Query born = Query.of(q -> q.exists(e -> e.field("patients.birthdate")));
        for (int i = 0; i < AGES.length; i++) {
            bands.put(AGE_BANDS.get(i), first(band(AGES[i][0], AGES[i][1]), born));
        }
        aggs.put("ageBand", filters(bands));
        return aggs;
    }

    /** The person's patient record at the first institution of the scope having one (that also has {@code need}). */
    private Query first(Query value, Query need) {
        List<Query> any = new ArrayList<>();
        List<String> tenants = queries.tenants();
        for (int i = 0; i < tenants.size(); i++) {
            String tenant = tenants.get(i);
            List<String> before = tenants.subList(0, i);
            BoolQuery.Builder b = new BoolQuery.Builder().filter(CohortQueries.nested(PersonDocuments.PATIENTS,
                    BoolQuery.of(x -> x.filter(CohortQueries.term("patients.tenant", tenant)).filter(value))));
            if (!before.isEmpty()) {
                BoolQuery.Builder earlier = new BoolQuery.Builder().filter(CohortQueries.terms("patients.tenant",
                        before));
                if (need != null) {
                    earlier.filter(need);
                }
                b.mustNot(CohortQueries.nested(PersonDocuments.PATIENTS, earlier.build()));
            }
            any.add(Query.of(q -> q.bool(b.build())));
        }
        return Query.of(q -> q.bool(b -> b.should(any).minimumShouldMatch("1")));
    }

    /** Born so that the whole-year age at the index date is in [from, to) (to -1: open), never after the index date. */
    private Query band(int from, int to) {
        return CohortQueries.range("patients.birthdate", null,
                to < 0 ? null : JsonData.of(queries.bornBy(to).toString()), null,
                JsonData.of((from == 0 ? indexDate : queries.bornBy(from)).toString()));
    }

    private static Aggregation filters(Map<String, Query> cells) {
        return Aggregation.of(a -> a.filters(f -> f.filters(b -> b.keyed(cells))));
    }

    Map<String, Map<String, Long>> read(Map<String, Aggregate> aggs, long total) {
        Map<String, Aggregate> single = aggs.get("solo").filter().aggregations();
        Map<String, Aggregate> multi = aggs.get("multi").filter().aggregations();
        Map<String, Long> known = new HashMap<>();
        for (StringTermsBucket b : single.get("gender").sterms().buckets().array()) {
            known.put(b.key().stringValue(), b.docCount());
        }
        for (RangeBucket b : single.get("ageBand").dateRange().buckets().array()) {
            known.put(b.key(), b.docCount());
        }
        Map<String, FiltersBucket> genders = multi.get("gender").filters().buckets().keyed();
        Map<String, FiltersBucket> bands = multi.get("ageBand").filters().buckets().keyed();
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        out.put("ageBand", cells(AGE_BANDS, k -> known.getOrDefault(k, 0L) + bands.get(k).docCount(), total));
        out.put("gender", cells(GENDERS, k -> known.getOrDefault(k, 0L) + genders.get(k).docCount(), total));
        Map<String, Long> institution = new TreeMap<>();
        for (StringTermsBucket b : single.get("institution").sterms().buckets().array()) {
            institution.merge(b.key().stringValue(), b.docCount(), Long::sum);
        }
        for (StringTermsBucket b : multi.get("institution").nested().aggregations().get("s").filter().aggregations()
                .get("t").sterms().buckets().array()) {
            institution.merge(b.key().stringValue(), b.aggregations().get("p").reverseNested().docCount(), Long::sum);
        }
        out.put("institution", institution);
        return out;
    }

    /** The known cells' counts, the last key taking the rest ("unknown"). */
    private static Map<String, Long> cells(List<String> keys, java.util.function.ToLongFunction<String> count,
                                           long total) {
        Map<String, Long> out = new LinkedHashMap<>();
        long known = 0;
        for (String key : keys.subList(0, keys.size() - 1)) {
            long n = count.applyAsLong(key);
            out.put(key, n);
            known += n;
        }
        out.put(keys.get(keys.size() - 1), total - known);
        return out;
    }

    /** The anchor's events: cumulative ranges "before 1 January of Y+1" for each year Y seen. */
    static Aggregation years(BoolQuery anchor, int firstYear, int lastYear) {
        return Aggregation.of(a -> a.nested(n -> n.path(PersonDocuments.EVENTS))
                .aggregations("m", m -> m.filter(f -> f.bool(anchor))
                        .aggregations("r", r -> r.dateRange(d -> {
                            d.field("events.effective").timeZone("UTC");
                            for (int year = firstYear; year <= lastYear; year++) {
                                final int y = year;
                                String to = (y + 1) + "-01-01";
                                d.ranges(x -> x.key(String.valueOf(y)).to(e -> e.expr(to)));
                            }
                            return d;
                        }).aggregations("p", p -> p.reverseNested(x -> x)))));
    }

    static Map<String, Long> readYears(Aggregate agg, long total) {
        Map<String, Long> out = new TreeMap<>();
        long before = 0;
        for (RangeBucket b : agg.nested().aggregations().get("m").filter().aggregations().get("r").dateRange()
                .buckets().array()) {
            long upTo = b.aggregations().get("p").reverseNested().docCount();
            if (upTo > before) {
                out.put(b.key(), upTo - before);
            }
            before = upTo;
        }
        if (total > before) {
            out.put("none", total - before);
        }
        return out;
    }
}
