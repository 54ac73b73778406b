package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.cohort.Code;
import health.meridian.domain.cohort.CohortNode;
import health.meridian.domain.cohort.Criterion;
import health.meridian.domain.cohort.CriterionType;
import health.meridian.domain.cohort.Demographics;
import health.meridian.domain.cohort.Group;
import health.meridian.domain.cohort.TimeWindow;
import health.meridian.domain.cohort.ValueFilter;
import health.meridian.domain.search.CohortIndex.Population;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Definition to Elasticsearch query JSON: the scope is the first filter of every nested clause and of the top. */
class CohortQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate INDEX = LocalDate.of(2025, 1, 1);

    private static JsonNode json(Query q) throws Exception {
        return JSON.readTree(JsonpUtils.toJsonString(q, new JacksonJsonpMapper()));
    }

    private static CohortQueries queries(boolean consent, String... tenants) {
        List<Institution> registry = List.of(new Institution(TenantId.of("nl-amstel"), "A", "NL", "eu-west"),
                new Institution(TenantId.of("de-spree"), "S", "DE", "eu-central"));
        return new CohortQueries(new Population(List.of(tenants).stream().map(TenantId::of).toList(), consent,
                registry), INDEX, s -> { throw new AssertionError("no sequence here"); });
    }

    private static Criterion hba1c() {
        return new Criterion(CriterionType.OBSERVATION, List.of(Code.parse("http://loinc.org|4548-4")),
                new TimeWindow(null, null, 365), new ValueFilter(ValueFilter.Comparator.GT, 8, "%"), null);
    }

    @Test
    void aCriterionIsANestedEventClauseWhoseFirstFilterIsTheScope() throws Exception {
        JsonNode q = json(queries(false, "nl-amstel").node(hba1c()));
        JsonNode filters = q.at("/nested/query/bool/filter");
        assertThat(q.at("/nested/path").asText()).isEqualTo("events");
        assertThat(filters.get(0).at("/terms/events.tenant").toString()).isEqualTo("[\"nl-amstel\"]");
        assertThat(filters.toString()).contains("\"events.type\":[\"Observation\"]")
                .contains("\"events.codes\":[\"http://loinc.org|4548-4\"]")
                .contains("\"gte\":\"2024-01-02\"").contains("\"lt\":\"2025-01-02\"")
                .contains("\"events.value\":{\"gt\":8.0}").contains("\"events.unit\":{\"value\":\"%\"}");
    }

    @Test
    void aBucketsEventsAreCheckedByScopedCodesOfTheInstitutionsInScopeOnly() throws Exception {
        Criterion metformin = new Criterion(CriterionType.MEDICATION,
                List.of(Code.parse("http://www.nlm.nih.gov/research/umls/rxnorm|860975")), null, null, null);
        JsonNode filters = json(Query.of(q -> q.bool(queries(false, "nl-amstel").eventsOnDays(metformin, 18_000,
                18_091)))).at("/bool/filter");
        assertThat(filters.get(0).at("/terms/events.scoped_codes").toString()).isEqualTo("["
                + "\"nl-amstel|MedicationRequest|http://www.nlm.nih.gov/research/umls/rxnorm|860975\","
                + "\"nl-amstel|MedicationStatement|http://www.nlm.nih.gov/research/umls/rxnorm|860975\","
                + "\"nl-amstel|MedicationAdministration|http://www.nlm.nih.gov/research/umls/rxnorm|860975\"]");
        JsonNode range = filters.get(1).at("/bool/should/0/range/events.code_day");
        assertThat(range.get("gte").asLong()).isEqualTo(PersonDocuments.codeDay(
                "http://www.nlm.nih.gov/research/umls/rxnorm|860975", 18_000));
        assertThat(range.get("lt").asLong()).isEqualTo(PersonDocuments.codeDay(
                "http://www.nlm.nih.gov/research/umls/rxnorm|860975", 18_091));
        assertThat(filters.toString()).doesNotContain("de-spree").doesNotContain("events.tenant");
        assertThat(json(Query.of(q -> q.bool(queries(false, "nl-amstel", "de-spree").eventsScoped(hba1c()))))
                .at("/bool/filter").toString()).as("the criterion's window and value stay beside the scoped codes")
                .contains("\"events.scoped_codes\":[\"de-spree|Observation|http://loinc.org|4548-4\","
                        + "\"nl-amstel|Observation|http://loinc.org|4548-4\"]")
                .contains("\"gte\":\"2024-01-02\"").contains("\"events.value\":{\"gt\":8.0}");

        // Before the days code_day encodes, the plain filters (scope first) with a day range.
        JsonNode plain = json(Query.of(q -> q.bool(queries(false, "nl-amstel").eventsOnDays(metformin,
                -PersonDocuments.DAY_OFFSET - 91, -PersonDocuments.DAY_OFFSET)))).at("/bool/filter");
        assertThat(plain.get(0).at("/terms/events.tenant").toString()).isEqualTo("[\"nl-amstel\"]");
        assertThat(plain.toString()).contains("\"events.day\"").doesNotContain("scoped_codes")
                .doesNotContain("code_day");
    }

    @Test
    void everyNestedClauseOfACohortStartsWithTheScope() throws Exception {
        CohortNode root = new Group(Group.Operator.AND, List.of(
                new Criterion(CriterionType.DEMOGRAPHICS, null, null, null,
                        new Demographics("female", 40, 75, null, List.of("DE"), null)),
                new Group(Group.Operator.NOT, List.of(hba1c()))));
        JsonNode q = json(queries(true, "nl-amstel", "de-spree").cohort(root));
        List<JsonNode> nested = new ArrayList<>();
        q.findParents("nested").forEach(p -> nested.add(p.get("nested")));
        assertThat(nested).hasSize(4);
        for (JsonNode n : nested) {
            String path = n.get("path").asText();
            assertThat(n.at("/query/bool/filter/0/terms/" + path + ".tenant").toString())
                    .isEqualTo("[\"de-spree\",\"nl-amstel\"]");
        }
        assertThat(q.toString()).contains("\"must_not\"").contains("\"patients.birthdate\":{\"lte\":\"1985-01-01\"}")
                .contains("\"patients.birthdate\":{\"gt\":\"1949-01-01\"}")
                .contains("\"patients.tenant\":[\"de-spree\"]")
                .contains("\"events.category\":{\"value\":\"" + CohortQueries.RESEARCH + "\"}");
    }

    @Test
    void populationWithKeepsThePopulationAndAddsOneScopedEventClausePerCriterion() throws Exception {
        Criterion metformin = new Criterion(CriterionType.MEDICATION,
                List.of(Code.parse("http://www.nlm.nih.gov/research/umls/rxnorm|860975")), null, null, null);
        CohortQueries queries = queries(true, "nl-amstel");
        JsonNode filters = json(queries.populationWith(hba1c(), metformin)).at("/bool/filter");
        assertThat(filters).hasSize(3);
        assertThat(filters.get(0)).as("the population (scope and research consent) first")
                .isEqualTo(json(queries.population()));
        assertThat(filters.get(1).at("/nested/query/bool/filter/0/terms/events.scoped_codes").toString())
                .isEqualTo("[\"nl-amstel|Observation|http://loinc.org|4548-4\"]");
        assertThat(filters.get(1).at("/nested/query/bool").toString()).as("window and value of the criterion")
                .contains("\"gte\":\"2024-01-02\"").contains("\"events.value\":{\"gt\":8.0}");
        assertThat(filters.get(2).at("/nested/query/bool/filter/0/terms/events.scoped_codes").toString())
                .contains("nl-amstel|MedicationRequest|").doesNotContain("de-spree");
    }

    @Test
    void noCriterionMatchesAnEntryEnteredInError() throws Exception {
        Criterion metformin = new Criterion(CriterionType.MEDICATION,
                List.of(Code.parse("http://www.nlm.nih.gov/research/umls/rxnorm|860975")), null, null, null);
        Criterion anyEncounter = new Criterion(CriterionType.ENCOUNTER, List.of(), null, null, null);
        CohortQueries queries = queries(false, "nl-amstel");
        for (JsonNode clause : List.of(json(Query.of(q -> q.bool(queries.events(metformin)))),
                json(Query.of(q -> q.bool(queries.events(anyEncounter)))),
                json(Query.of(q -> q.bool(queries.eventsScoped(hba1c())))),
                json(Query.of(q -> q.bool(queries.eventsOnDays(metformin, 18_000, 18_091)))),
                json(Query.of(q -> q.bool(queries.eventsOnDays(anyEncounter, 18_000, 18_091)))))) {
            assertThat(clause.at("/bool/must_not").toString()).as(clause.toString())
                    .isEqualTo("[{\"term\":{\"events.status\":{\"value\":\"entered-in-error\"}}}]");
        }
    }

    @Test
    void anEmptyScopeMatchesNobody() throws Exception {
        JsonNode q = json(queries(false).population());
        assertThat(q.at("/bool/filter/0/nested/query/bool/filter/0/terms/patients.tenant").toString()).isEqualTo("[]");
    }
}
