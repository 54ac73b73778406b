package health.meridian.web.it.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import health.meridian.domain.cohort.Code;
import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.Criterion;
import health.meridian.domain.cohort.CriterionType;
import health.meridian.domain.cohort.Sequence;
import health.meridian.domain.cohort.TimeWindow;
import health.meridian.domain.search.CohortIndex.Population;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import health.meridian.search.ElasticsearchClients;
import health.meridian.search.ElasticsearchCohortIndex;
import health.meridian.search.IndexBootstrap;
import health.meridian.search.IndexNames;
import health.meridian.search.PersonDocuments;
import health.meridian.web.it.TestStack;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both ways a temporal relation is decided ({@code SequenceFilter}: OR of bucket clauses, or per candidate above 256
 * clauses) against the truth computed here, on a person index of its own in the real Elasticsearch (no app: the
 * population is written straight into the index, so it can have the 600 distinct days the per-candidate path
 * needs, which CohortIT's population through the API does not reach).
 *
 * <p>Person i has a diabetes condition on day d(i) = 2020-01-01 + 2i and a metformin order delta(i) days later,
 * delta cycling 0, 0, 1, -1; every seventh person also an earlier condition 40 days before. With N = 0 the relation
 * has one bucket clause per day with both sides — 300 delta-0 days, more than the 256 the bucket form takes, so it
 * is decided per candidate; with N = 30 (buckets of 31 days over ~3.3 years: ~80 clauses) by the bucket form. One
 * more person has the condition at another institution (out of scope) and the order in scope on the same day: in
 * neither count.
 */
class SequencePathsIT {

    private static final String DIABETES = "http://snomed.info/sct|44054006";
    private static final String METFORMIN = "http://www.nlm.nih.gov/research/umls/rxnorm|860975";
    private static final IndexNames NAMES = new IndexNames("itsequence-persons", "v3");
    private static final TenantId SCOPE = TenantId.of("nl-amstel");
    private static final LocalDate START = LocalDate.of(2020, 1, 1);
    private static final int PERSONS = 600;
    private static ElasticsearchClient client;
    /** (tenant, type, day) of each person's events, for the truth. */
    private static final Map<String, List<Object[]>> EVENTS = new LinkedHashMap<>();

    @BeforeAll
    static void population() throws Exception {
        client = ElasticsearchClients.create(TestStack.elasticsearch());
        client.indices().delete(d -> d.index(NAMES.concreteIndex()).ignoreUnavailable(true));
        IndexBootstrap.ensure(client, NAMES);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < PERSONS; i++) {
            int day = (int) START.plusDays(2L * i).toEpochDay();
            int delta = new int[] {0, 0, 1, -1}[i % 4];
            List<Object[]> events = new ArrayList<>();
            events.add(new Object[] {"nl-amstel", "Condition", day});
            events.add(new Object[] {"nl-amstel", "MedicationRequest", day + delta});
            if (i % 7 == 0) {
                events.add(new Object[] {"nl-amstel", "Condition", day - 40});
            }
            docs.add(person("seq-" + i, List.of("nl-amstel"), events));
        }
        int day = (int) START.toEpochDay();
        docs.add(person("seq-elsewhere", List.of("nl-amstel", "de-spree"), List.of(
                new Object[] {"de-spree", "Condition", day}, new Object[] {"nl-amstel", "MedicationRequest", day})));
        for (int from = 0; from < docs.size(); from += 500) {
            List<Map<String, Object>> batch = docs.subList(from, Math.min(docs.size(), from + 500));
            BulkResponse r = client.bulk(b -> {
                batch.forEach(doc -> b.operations(o -> o.index(x -> x.index(NAMES.alias())
                        .id((String) doc.get("person")).document(doc))));
                return b;
            });
            assertThat(r.errors()).as("bulk").isFalse();
        }
        client.indices().refresh(r -> r.index(NAMES.alias()));
    }

    @AfterAll
    static void drop() throws Exception {
        client.indices().delete(d -> d.index(NAMES.concreteIndex()).ignoreUnavailable(true));
    }

    private static Map<String, Object> person(String id, List<String> tenants, List<Object[]> events) {
        EVENTS.put(id, events);
        Map<String, Object> doc = new LinkedHashMap<>();
        for (String tenant : tenants) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("key", tenant + "/Patient/" + id);
            p.put("version", 1L);
            p.put("tenant", tenant);
            p.put("patient", "Patient/" + id);
            p.put("gender", "female");
            p.put("birthdate", "1970-01-01");
            PersonDocuments.apply(doc, new PersonDocuments.Change(id, (String) p.get("key"), 1, false, "patients", p));
        }
        int n = 0;
        for (Object[] e : events) {
            String type = (String) e[1];
            int day = (Integer) e[2];
            String code = "Condition".equals(type) ? DIABETES : METFORMIN;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", e[0] + "/" + type + "/" + id + "-" + n++);
            entry.put("version", 1L);
            entry.put("tenant", e[0]);
            entry.put("type", type);
            entry.put("codes", List.of(code));
            entry.put("scoped_codes", PersonDocuments.scopedCodes((String) e[0], type, List.of(code)));
            entry.put("effective", LocalDate.ofEpochDay(day) + "T10:00:00Z");
            entry.put("day", day);
            entry.put("day_up", PersonDocuments.DAY_OFFSET + day);
            entry.put("day_down", PersonDocuments.DAY_OFFSET - day);
            entry.put("code_day", PersonDocuments.codeDays(List.of(code), day));
            entry.put("status", "active");
            PersonDocuments.apply(doc, new PersonDocuments.Change(id, (String) entry.get("key"), 1, false, "events",
                    entry));
        }
        return doc;
    }

    /** Persons with an in-scope condition on day a and an in-scope order on day b, 0 <= b - a <= n. */
    private static Set<String> truth(int n) {
        Set<String> out = new TreeSet<>();
        EVENTS.forEach((id, events) -> {
            for (Object[] a : events) {
                for (Object[] b : events) {
                    if (SCOPE.value().equals(a[0]) && SCOPE.value().equals(b[0]) && "Condition".equals(a[1])
                            && "MedicationRequest".equals(b[1])) {
                        int gap = (Integer) b[2] - (Integer) a[2];
                        if (gap >= 0 && gap <= n) {
                            out.add(id);
                        }
                    }
                }
            }
        });
        return out;
    }

    private static long count(int withinDays) throws Exception {
        Criterion first = new Criterion(CriterionType.CONDITION, List.of(Code.parse(DIABETES)), TimeWindow.ANY, null,
                null);
        Criterion then = new Criterion(CriterionType.MEDICATION, List.of(Code.parse(METFORMIN)), TimeWindow.ANY, null,
                null);
        Population population = new Population(List.of(SCOPE), false,
                List.of(new Institution(SCOPE, "Amstel", "NL", "eu"),
                        new Institution(TenantId.of("de-spree"), "Spree", "DE", "eu")));
        return new ElasticsearchCohortIndex(client, NAMES).count(population,
                new CohortDefinition(LocalDate.of(2025, 1, 1), new Sequence(first, then, withinDays))).total();
    }

    @Test
    void onTheSameDayIsDecidedPerCandidateAndMatchesTheTruth() throws Exception {
        Set<String> expected = truth(0);
        assertThat(expected).as("fixture: more same-day pairs than bucket clauses allowed").hasSizeGreaterThan(256)
                .doesNotContain("seq-elsewhere");
        assertThat(count(0)).isEqualTo(expected.size());
    }

    @Test
    void withinThirtyDaysIsDecidedByBucketClausesAndMatchesTheTruth() throws Exception {
        Set<String> expected = truth(30);
        assertThat(expected).as("fixture: delta 0 and 1 match, -1 does not").hasSize(PERSONS * 3 / 4)
                .doesNotContain("seq-elsewhere");
        assertThat(count(30)).isEqualTo(expected.size());
    }
}
