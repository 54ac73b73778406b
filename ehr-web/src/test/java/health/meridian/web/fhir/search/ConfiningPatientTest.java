package health.meridian.web.fhir.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which searches are confined to one Patient, so their scope may be that Patient's person alone (ADR 0020). */
class ConfiningPatientTest {

    private static String of(String type, Map<String, String[]> params) {
        return FhirSearchService.confiningPatient(new SearchState(type, params, 20, List.of(), List.of(), List.of()));
    }

    @Test
    void aSinglePatientReferenceConfinesTheSearch() {
        assertThat(of("Observation", Map.of("patient", new String[] {"abc-1"}))).isEqualTo("abc-1");
        assertThat(of("Observation", Map.of("patient", new String[] {"Patient/abc-1"}))).isEqualTo("abc-1");
        assertThat(of("Observation", Map.of("subject", new String[] {"https://x.example/fhir/Patient/abc-1"})))
                .isEqualTo("abc-1");
        assertThat(of("Condition", Map.of("subject:Patient", new String[] {"abc-1"}))).isEqualTo("abc-1");
        assertThat(of("Patient", Map.of("_id", new String[] {"abc-1"}))).isEqualTo("abc-1");
    }

    @Test
    void anythingElseRunsUnderTheWholeScope() {
        assertThat(of("Observation", Map.of("patient", new String[] {"a,b"}))).as("two patients").isNull();
        assertThat(of("Observation", Map.of("patient", new String[] {"a", "b"}))).as("AND of two").isNull();
        assertThat(of("Observation", Map.of("subject", new String[] {"Group/g1"}))).as("not a Patient").isNull();
        assertThat(of("Observation", Map.of("subject", new String[] {"abc-1"}))).as("subject type unknown").isNull();
        assertThat(of("Observation", Map.of("patient:missing", new String[] {"true"}))).isNull();
        assertThat(of("Observation", Map.of("patient.name", new String[] {"Anna"}))).as("a chain").isNull();
        assertThat(of("Observation", Map.of("patient", new String[] {"Patient/a/_history/2"}))).isNull();
        assertThat(of("Observation", Map.of("code", new String[] {"1234-5"}))).isNull();
        assertThat(of("Patient", Map.of("patient", new String[] {"abc-1"}))).isNull();
    }
}
