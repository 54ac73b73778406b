package health.meridian.web.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.Group;
import health.meridian.domain.cohort.Sequence;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CohortJsonTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 1, 1);

    private static CohortDefinition parse(String json) {
        return CohortJson.definition(CohortJson.tree(json), TODAY);
    }

    @Test
    void readsGroupsCriteriaValuesWindowsAndTemporalRelations() {
        CohortDefinition d = parse("""
            {"name":"x","indexDate":"2025-01-01","criteria":{"op":"and","items":[
              {"type":"demographics","gender":"female","minAge":40},
              {"type":"observation","codes":["http://loinc.org|4548-4"],"value":{"comparator":"gt","value":8,"unit":"%"},
               "window":{"daysBefore":365}},
              {"op":"not","items":[{"type":"medication","codes":["http://www.nlm.nih.gov/research/umls/rxnorm|860975"]}]},
              {"type":"temporal","first":{"type":"condition","codes":["http://snomed.info/sct|44054006"]},
               "then":{"type":"procedure","codes":["http://snomed.info/sct|1"]},"withinDays":90}]}}""");
        assertThat(d.indexDate()).isEqualTo(LocalDate.of(2025, 1, 1));
        Group root = (Group) d.root();
        assertThat(root.children()).hasSize(4);
        assertThat(root.children().get(3)).isInstanceOf(Sequence.class);
        assertThat(parse("{\"criteria\":{\"type\":\"encounter\"}}").indexDate()).isEqualTo(TODAY);
    }

    @Test
    void badDefinitionsAreRefusedWithCodes() {
        assertThatThrownBy(() -> parse("[1]")).hasMessageStartingWith("EHR-0800");
        assertThatThrownBy(() -> parse("{\"criteria\":")).hasMessageStartingWith("EHR-0800");
        assertThatThrownBy(() -> parse("{}")).hasMessageStartingWith("EHR-0801");
        assertThatThrownBy(() -> parse("{\"criteria\":{\"type\":\"allergy\",\"codes\":[\"a|b\"]}}"))
                .hasMessageStartingWith("EHR-0806");
        assertThatThrownBy(() -> parse("{\"criteria\":{\"type\":\"condition\",\"codes\":[]}}"))
                .hasMessageStartingWith("EHR-0807");
        assertThatThrownBy(() -> parse("{\"criteria\":{\"type\":\"observation\",\"codes\":[\"a|b\"],"
                + "\"value\":{\"comparator\":\">\",\"value\":8,\"unit\":\"%\"}}}")).hasMessageStartingWith("EHR-0809");
        assertThatThrownBy(() -> parse("{\"criteria\":{\"op\":\"not\",\"items\":[{\"type\":\"encounter\"}]}}"))
                .hasMessageStartingWith("EHR-0819");
        assertThatThrownBy(() -> parse("{\"criteria\":{\"op\":\"xor\",\"items\":[{\"type\":\"encounter\"}]}}"))
                .hasMessageStartingWith("EHR-0803");
        assertThatThrownBy(() -> parse("{\"criteria\":{\"type\":\"encounter\",\"colour\":1}}"))
                .hasMessageStartingWith("EHR-0823");
        assertThatThrownBy(() -> parse("{\"indexDate\":\"01/02/2025\",\"criteria\":{\"type\":\"encounter\"}}"))
                .hasMessageStartingWith("EHR-0824");
    }
}
