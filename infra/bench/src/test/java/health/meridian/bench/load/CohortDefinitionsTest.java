package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CohortDefinitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyBodyCarriesTheIndexDateAndOnlyTheFieldsTheApiTakes() throws Exception {
        for (CohortDefinitions.Definition d : CohortDefinitions.standard()) {
            JsonNode body = JSON.readTree(d.body(LocalDate.of(2026, 1, 1)));
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as(d.name()).containsExactly("indexDate", "criteria");
            assertThat(body.path("indexDate").asText()).isEqualTo("2026-01-01");
        }
    }

    @Test
    void aConditionAValueComparisonAndAnAndWithANot() throws Exception {
        List<CohortDefinitions.Definition> defs = CohortDefinitions.standard();
        assertThat(defs).hasSize(3);
        JsonNode condition = criteria(defs.get(0));
        assertThat(condition.path("type").asText()).isEqualTo("condition");
        assertThat(condition.path("codes").get(0).asText()).isEqualTo("http://snomed.info/sct|444814009");

        JsonNode value = criteria(defs.get(1)).path("value");
        assertThat(criteria(defs.get(1)).path("codes").get(0).asText()).isEqualTo("http://loinc.org|29463-7");
        assertThat(value.path("comparator").asText()).isEqualTo("gt");
        assertThat(value.path("value").isNumber()).isTrue();
        assertThat(value.path("value").asDouble()).isEqualTo(60.0);
        assertThat(value.path("unit").asText()).isEqualTo("kg");

        JsonNode and = criteria(defs.get(2));
        assertThat(and.path("op").asText()).isEqualTo("and");
        assertThat(and.path("items")).hasSize(2);
        assertThat(and.path("items").get(0).path("codes").get(0).asText()).isEqualTo("http://snomed.info/sct|444814009");
        JsonNode not = and.path("items").get(1);
        assertThat(not.path("op").asText()).isEqualTo("not");
        assertThat(not.path("items")).hasSize(1);
        assertThat(not.path("items").get(0).path("codes").get(0).asText())
                .isEqualTo("http://www.nlm.nih.gov/research/umls/rxnorm|562251");
    }

    @Test
    void namesAreDistinctAndBuildingABodyLeavesTheDefinitionUnchanged() {
        List<CohortDefinitions.Definition> defs = CohortDefinitions.standard();
        assertThat(defs.stream().map(CohortDefinitions.Definition::name).distinct()).hasSize(defs.size());
        CohortDefinitions.Definition d = defs.get(0);
        String before = d.criteria().toString();
        d.body(LocalDate.of(2025, 6, 1));
        assertThat(d.criteria().toString()).isEqualTo(before);
        assertThat(d.body(LocalDate.of(2025, 6, 1))).isEqualTo(d.body(LocalDate.of(2025, 6, 1)));
    }

    private static JsonNode criteria(CohortDefinitions.Definition d) throws Exception {
        return JSON.readTree(d.body(LocalDate.of(2026, 1, 1))).path("criteria");
    }
}
