package health.meridian.bench.synthea;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ImportPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void patientEntryBecomesAConditionalCreateOnItsSyntheaIdentifier() throws Exception {
        ObjectNode bundle = (ObjectNode) JSON.readTree("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:p1","request":{"method":"POST","url":"Patient"},
               "resource":{"resourceType":"Patient","identifier":[
                 {"system":"https://github.com/synthetichealth/synthea","value":"p1"}]}},
              {"request":{"method":"POST","url":"Observation"},"resource":{"resourceType":"Observation"}}]}
            """);

        ImportPayload payload = ImportPayload.of(bundle);

        assertThat(payload.patientIdentifier()).contains("p1");
        assertThat(payload.resources()).isEqualTo(2);
        assertThat(payload.bundle().path("entry").get(0).path("request").path("ifNoneExist").asText())
                .isEqualTo("identifier=https://github.com/synthetichealth/synthea|p1");
        assertThat(payload.bundle().path("entry").get(1).path("request").has("ifNoneExist")).isFalse();
    }

    @Test
    void syntheaBatchOfPractitionersIsSentAsATransaction() throws Exception {
        ObjectNode batch = (ObjectNode) JSON.readTree("""
            {"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"POST","url":"Practitioner",
              "ifNoneExist":"identifier=http://hl7.org/fhir/sid/us-npi|1"},"resource":{"resourceType":"Practitioner"}}]}
            """);

        ImportPayload payload = ImportPayload.of(batch);

        assertThat(payload.bundle().path("type").asText()).isEqualTo("transaction");
        assertThat(payload.patientIdentifier()).isEmpty();
    }

    @Test
    void operationOutcomeIsReducedToItsIssues() {
        String body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\","
                + "\"diagnostics\":\"EHR-0427 conditional reference Practitioner?identifier=x|1 matches nothing\"}]}";

        assertThat(OperationOutcomeText.of(body))
                .isEqualTo("error/processing: EHR-0427 conditional reference Practitioner?identifier=x|1 matches nothing");
    }
}
