package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.bench.http.FhirResponse;
import org.junit.jupiter.api.Test;

class FreshnessWorkloadTest {

    @Test
    void theIdOfACreateComesFromThe201sBody() {
        assertThat(FreshnessWorkload.idOf(new FhirResponse(201, "{\"resourceType\":\"Observation\",\"id\":\"o-1\"}", 1)))
                .contains("o-1");
        assertThat(FreshnessWorkload.idOf(new FhirResponse(200, "{\"id\":\"o-1\"}", 1))).isEmpty();
        assertThat(FreshnessWorkload.idOf(new FhirResponse(201, "", 1))).isEmpty();
        assertThat(FreshnessWorkload.idOf(new FhirResponse(403, "{\"resourceType\":\"OperationOutcome\"}", 1))).isEmpty();
    }

    @Test
    void aSearchFindsTheResourceOnlyWhenAnEntryHasItsId() {
        String hit = "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o-1\"}}]}";
        assertThat(FreshnessWorkload.contains(hit, "o-1")).isTrue();
        assertThat(FreshnessWorkload.contains(hit, "o-2")).isFalse();
        assertThat(FreshnessWorkload.contains("{\"resourceType\":\"Bundle\",\"total\":0}", "o-1")).isFalse();
        assertThat(FreshnessWorkload.contains("not json", "o-1")).isFalse();
    }

    @Test
    void theCreatedObservationIsAHeartRateOfThePatient() throws Exception {
        JsonNode obs = new ObjectMapper().readTree(FreshnessWorkload.heartRate("p-9"));
        assertThat(obs.path("resourceType").asText()).isEqualTo("Observation");
        assertThat(obs.path("status").asText()).isEqualTo("final");
        assertThat(obs.path("subject").path("reference").asText()).isEqualTo("Patient/p-9");
        assertThat(obs.path("code").path("coding").get(0).path("code").asText()).isEqualTo("8867-4");
        assertThat(obs.path("valueQuantity").path("code").asText()).isEqualTo("/min");
        assertThat(obs.path("effectiveDateTime").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    }
}
