package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.Criterion;
import health.meridian.domain.cohort.PersonSetSketch;
import health.meridian.domain.search.CohortIndex;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.tenant.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cohort queries on the person cohort index: one query per definition ({@link CohortQueries}), counted by
 * Elasticsearch ({@code track_total_hits}), breakdowns as aggregations on the same query ({@link CohortBreakdowns});
 * no person sets are pulled into the application (temporal relations: see {@link SequenceFilter}); the differencing
 * guard's sketches stream person ids through {@link PersonIdPages}.
 */
public class ElasticsearchCohortIndex implements CohortIndex {

    private final ElasticsearchClient client;
    private final IndexNames names;

    public ElasticsearchCohortIndex(ElasticsearchClient client, IndexNames names) {
        this.client = client;
        this.names = names;
    }

    private volatile boolean current;

    /**
     * Refuses to count on a person index built from an older mapping (its documents lack fields the queries rely
     * on, so counts would be wrong, not slow); once the alias points at a current index the check is not repeated.
     */
    private void requireCurrent() throws IOException, IndexUnavailableException {
        if (!current) {
            if (!IndexBootstrap.current(client, names)) {
                throw new IndexUnavailableException("EHR-0842 the person cohort index was built with an older mapping"
                        + " than " + names.concreteIndex() + "; an operator must rebuild it (./meridian reindex)", null);
            }
            current = true;
        }
    }

    private CohortQueries queries(Population population, CohortDefinition d) {
        SequenceFilter sequences = new SequenceFilter(client, names.alias());
        CohortQueries[] self = new CohortQueries[1];
        self[0] = new CohortQueries(population, d.indexDate(), s -> sequences.filter(s, self[0]));
        return self[0];
    }

    /**
     * One execution of the cohort query: count, breakdowns and (when the definition has an anchor) the entry years,
     * whose range comes first from a cheap request over the population's persons with an anchor event (the
     * anchor's earliest and latest event), so the cohort query itself never runs twice.
     */
    @Override
    public Counts count(Population population, CohortDefinition definition) throws IndexUnavailableException {
        try {
            requireCurrent();
            CohortQueries queries = queries(population, definition);
            Optional<Criterion> anchor = definition.anchor();
            Optional<int[]> years = anchor.isPresent() ? yearRange(queries, anchor.get()) : Optional.empty();
            Query cohort = queries.cohort(definition.root());
            CohortBreakdowns breakdowns = new CohortBreakdowns(queries, definition.indexDate());
            Map<String, Aggregation> aggs = new LinkedHashMap<>(breakdowns.aggregations());
            years.ifPresent(y -> aggs.put("years", CohortBreakdowns.years(queries.eventsScoped(anchor.get()), y[0],
                    y[1])));
            SearchResponse<Void> response = client.search(s -> s.index(names.alias()).size(0).query(cohort)
                    .trackTotalHits(t -> t.enabled(true)).aggregations(aggs), Void.class);
            long total = response.hits().total().value();
            Map<String, Map<String, Long>> cells = breakdowns.read(response.aggregations(), total);
            if (years.isPresent()) {
                Map<String, Long> entry = CohortBreakdowns.readYears(response.aggregations().get("years"), total);
                if (entry.keySet().stream().anyMatch(k -> !"none".equals(k))) {
                    cells.put("year", entry);
                }
            }
            return new Counts(total, cells);
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
    }

    /** The years of the anchor's earliest and latest event in the population, if it has any. */
    private Optional<int[]> yearRange(CohortQueries queries, Criterion criterion) throws IOException {
        BoolQuery anchor = queries.eventsScoped(criterion);
        SearchResponse<Void> response = client.search(s -> s.index(names.alias()).size(0)
                .query(queries.populationWith(criterion)).trackTotalHits(t -> t.enabled(false))
                .aggregations("a", x -> x.nested(n -> n.path(PersonDocuments.EVENTS))
                        .aggregations("m", m -> m.filter(f -> f.bool(anchor))
                                .aggregations("min", y -> y.min(v -> v.field("events.effective")))
                                .aggregations("max", y -> y.max(v -> v.field("events.effective"))))), Void.class);
        var m = response.aggregations().get("a").nested().aggregations().get("m").filter().aggregations();
        double min = m.get("min").min().value();
        double max = m.get("max").max().value();
        return Double.isFinite(min) && Double.isFinite(max) ? Optional.of(new int[] {year(min), year(max)})
                : Optional.empty();
    }

    private static int year(double epochMillis) {
        return Instant.ofEpochMilli((long) epochMillis).atZone(ZoneOffset.UTC).getYear();
    }

    @Override
    public long overlap(Population population, CohortDefinition a, CohortDefinition b)
            throws IndexUnavailableException {
        try {
            requireCurrent();
            return client.count(c -> c.index(names.alias()).query(both(population, a, b))).count();
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public PersonSetSketch persons(Population population, CohortDefinition definition)
            throws IndexUnavailableException {
        try {
            requireCurrent();
            Query cohort = queries(population, definition).cohort(definition.root());
            return PersonIdPages.sketch(client, names.alias(), cohort);
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public PersonSetSketch personsInBoth(Population population, CohortDefinition a, CohortDefinition b)
            throws IndexUnavailableException {
        try {
            requireCurrent();
            return PersonIdPages.sketch(client, names.alias(), both(population, a, b));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
    }

    private Query both(Population population, CohortDefinition a, CohortDefinition b) {
        CohortQueries qa = queries(population, a);
        return Query.of(q -> q.bool(x -> x.filter(qa.cohort(a.root())).filter(queries(population, b).node(b.root()))));
    }

    @Override
    public List<String> patients(Population population, CohortDefinition definition, TenantId tenant)
            throws IndexUnavailableException {
        List<String> out = new ArrayList<>();
        try {
            requireCurrent();
            Query cohort = queries(population, definition).cohort(definition.root());
            ElasticsearchPersonIndex.eachPerson(client, names.alias(), cohort, List.of("patients.tenant",
                    "patients.patient"), (id, source) -> {
                        for (Map<String, Object> p : PersonDocuments.entries(source, PersonDocuments.PATIENTS)) {
                            if (tenant.value().equals(p.get("tenant")) && p.get("patient") != null) {
                                out.add((String) p.get("patient"));
                            }
                        }
                    });
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0840 search index unreachable: " + e.getMessage(), e);
        }
        return out.stream().sorted().toList();
    }
}
