package health.meridian.web.it.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The record store through the FHIR API: every type round-trips, versions, atomic transactions, bad input. */
@ExtendWith(ArquillianExtension.class)
class RecordStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private String fhir(String path) {
        return TestStack.app(base) + "/fhir/" + path;
    }

    private String token() throws Exception {
        TestStack.ensureTenants(TestStack.app(base));
        return TestStack.token("dr.jansen");
    }

    private String createPatient(String token, String mrn) throws Exception {
        HttpResponse<String> r = TestStack.send("POST", fhir("Patient"), token, "{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"urn:test:mrn\",\"value\":\"" + mrn + "\"}],"
                + "\"name\":[{\"family\":\"Store\",\"given\":[\"Ria\"]}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    @Test
    void everyRecordTypeRoundTrips() throws Exception {
        String token = token();
        String p = createPatient(token, UUID.randomUUID().toString());
        String subj = "{\"reference\":\"Patient/" + p + "\"}";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("Practitioner", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Doc\"}]}");
        bodies.put("PractitionerRole", "{\"resourceType\":\"PractitionerRole\",\"active\":true}");
        bodies.put("Organization", "{\"resourceType\":\"Organization\",\"name\":\"Lab\"}");
        bodies.put("Location", "{\"resourceType\":\"Location\",\"name\":\"Ward 3\"}");
        bodies.put("Medication", "{\"resourceType\":\"Medication\",\"code\":{\"text\":\"metformin\"}}");
        bodies.put("Encounter", "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},\"subject\":" + subj + "}");
        bodies.put("Condition", "{\"resourceType\":\"Condition\",\"code\":{\"text\":\"asthma\"},\"subject\":" + subj + "}");
        bodies.put("Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"weight\"},\"subject\":" + subj + "}");
        bodies.put("MedicationRequest", "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"medicationCodeableConcept\":{\"text\":\"metformin\"},\"subject\":" + subj + "}");
        bodies.put("MedicationStatement", "{\"resourceType\":\"MedicationStatement\",\"status\":\"active\",\"medicationCodeableConcept\":{\"text\":\"metformin\"},\"subject\":" + subj + "}");
        bodies.put("MedicationAdministration", "{\"resourceType\":\"MedicationAdministration\",\"status\":\"completed\",\"medicationCodeableConcept\":{\"text\":\"x\"},\"subject\":" + subj + ",\"effectiveDateTime\":\"2024-01-01\"}");
        bodies.put("AllergyIntolerance", "{\"resourceType\":\"AllergyIntolerance\",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical\",\"code\":\"active\"}]},\"code\":{\"text\":\"peanut\"},\"patient\":" + subj + "}");
        bodies.put("Procedure", "{\"resourceType\":\"Procedure\",\"status\":\"completed\",\"code\":{\"text\":\"x-ray\"},\"subject\":" + subj + "}");
        bodies.put("Immunization", "{\"resourceType\":\"Immunization\",\"status\":\"completed\",\"vaccineCode\":{\"text\":\"flu\"},\"patient\":" + subj + ",\"occurrenceDateTime\":\"2024-10-01\"}");
        bodies.put("DiagnosticReport", "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\",\"code\":{\"text\":\"CBC\"},\"subject\":" + subj + "}");
        bodies.put("DocumentReference", "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":" + subj + ",\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"aGk=\"}}]}");
        bodies.put("CarePlan", "{\"resourceType\":\"CarePlan\",\"status\":\"active\",\"intent\":\"plan\",\"subject\":" + subj + "}");
        bodies.put("CareTeam", "{\"resourceType\":\"CareTeam\",\"status\":\"active\",\"subject\":" + subj + "}");
        bodies.put("Consent", "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"text\":\"patient-privacy\"},\"category\":[{\"text\":\"x\"}],\"policyRule\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"OPTIN\"}]},\"patient\":" + subj + "}");
        bodies.put("Provenance", "{\"resourceType\":\"Provenance\",\"target\":[" + subj + "],\"recorded\":\"2024-01-01T00:00:00Z\",\"agent\":[{\"who\":{\"display\":\"x\"}}]}");
        bodies.put("Claim", "{\"resourceType\":\"Claim\",\"status\":\"active\",\"use\":\"claim\",\"type\":{\"text\":\"x\"},\"patient\":" + subj + ",\"created\":\"2024-01-01\",\"provider\":{\"display\":\"x\"},\"priority\":{\"text\":\"normal\"},\"insurance\":[{\"sequence\":1,\"focal\":true,\"coverage\":{\"display\":\"x\"}}]}");
        bodies.put("ExplanationOfBenefit", "{\"resourceType\":\"ExplanationOfBenefit\",\"status\":\"active\",\"use\":\"claim\",\"type\":{\"text\":\"x\"},\"patient\":" + subj + ",\"created\":\"2024-01-01\",\"insurer\":{\"display\":\"x\"},\"provider\":{\"display\":\"x\"},\"outcome\":\"complete\",\"insurance\":[{\"focal\":true,\"coverage\":{\"display\":\"x\"}}]}");
        bodies.put("Device", "{\"resourceType\":\"Device\",\"status\":\"active\",\"patient\":" + subj + "}");
        bodies.put("ImagingStudy", "{\"resourceType\":\"ImagingStudy\",\"status\":\"available\",\"subject\":" + subj + "}");
        bodies.put("SupplyDelivery", "{\"resourceType\":\"SupplyDelivery\",\"status\":\"completed\",\"patient\":" + subj + "}");
        for (var e : bodies.entrySet()) {
            HttpResponse<String> created = TestStack.send("POST", fhir(e.getKey()), token, e.getValue());
            assertThat(created.statusCode()).as(e.getKey() + ": " + created.body()).isEqualTo(201);
            JsonNode sent = JSON.readTree(e.getValue());
            String id = JSON.readTree(created.body()).path("id").asText();
            JsonNode back = JSON.readTree(TestStack.get(fhir(e.getKey() + "/" + id), token).body());
            assertThat(back.path("meta").path("versionId").asText()).isEqualTo("1");
            sent.fieldNames().forEachRemaining(f -> assertThat(back.path(f)).as(e.getKey() + "." + f)
                    .isEqualTo(sent.path(f)));
        }
    }

    @Test
    void updatesAreNewVersionsAndHistoryKeepsThemAll() throws Exception {
        String token = token();
        String p = createPatient(token, UUID.randomUUID().toString());
        for (String family : new String[] {"Two", "Three"}) {
            HttpResponse<String> u = TestStack.send("PUT", fhir("Patient/" + p), token, "{\"resourceType\":\"Patient\","
                    + "\"id\":\"" + p + "\",\"name\":[{\"family\":\"" + family + "\"}]}");
            assertThat(u.statusCode()).as(u.body()).isEqualTo(200);
        }
        assertThat(JSON.readTree(TestStack.get(fhir("Patient/" + p + "/_history/1"), token).body())
                .path("name").get(0).path("family").asText()).isEqualTo("Store");
        assertThat(JSON.readTree(TestStack.get(fhir("Patient/" + p), token).body())
                .path("meta").path("versionId").asText()).isEqualTo("3");
        assertThat(JSON.readTree(TestStack.get(fhir("Patient/" + p + "/_history"), token).body())
                .path("total").asInt()).isEqualTo(3);
        assertThat(TestStack.send("DELETE", fhir("Patient/" + p), token, null).statusCode()).isIn(200, 204);
        assertThat(TestStack.get(fhir("Patient/" + p), token).statusCode()).isEqualTo(410);
        assertThat(TestStack.get(fhir("Patient/" + p + "/_history/2"), token).statusCode()).isEqualTo(200);
        JsonNode history = JSON.readTree(TestStack.get(fhir("Patient/" + p + "/_history"), token).body());
        assertThat(history.path("total").asInt()).isEqualTo(4);
        assertThat(history.path("entry").get(0).path("request").path("method").asText()).isEqualTo("DELETE");
        assertThat(history.path("entry").get(0).has("resource")).as("a deletion has no resource").isFalse();
        assertThat(history.path("entry").get(1).path("request").path("method").asText()).isEqualTo("PUT");
        assertThat(history.path("entry").get(3).path("request").path("method").asText()).isEqualTo("POST");
    }

    @Test
    void aBadEntryInTheMiddleRollsBackTheWholeTransaction() throws Exception {
        String token = token();
        String mrn = UUID.randomUUID().toString();
        String bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"fullUrl":"urn:uuid:0b7c4a52-5d8e-4f4e-9a51-2d0c5e7f1a01","resource":{"resourceType":"Patient","identifier":[{"system":"urn:test:mrn","value":"%s"}]},
              "request":{"method":"POST","url":"Patient"}},
             {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:0b7c4a52-5d8e-4f4e-9a51-2d0c5e7f1a99"}},
              "request":{"method":"POST","url":"Observation"}},
             {"resource":{"resourceType":"Observation","status":"final","code":{"text":"y"},"subject":{"reference":"urn:uuid:0b7c4a52-5d8e-4f4e-9a51-2d0c5e7f1a01"}},
              "request":{"method":"POST","url":"Observation"}}]}""".formatted(mrn);
        HttpResponse<String> r = TestStack.post(TestStack.app(base) + "/fhir", token, bundle);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("OperationOutcome").contains("EHR-0426");
        assertThat(storedWithIdentifier(mrn)).isZero();
    }

    @Test
    void resourcesBreakingTheR4StructuresAreRefusedWholeTransactionsIncluded() throws Exception {
        String token = token();
        HttpResponse<String> noStatus = TestStack.post(TestStack.app(base) + "/fhir/Observation", token,
                "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"weight\"}}");
        assertOutcome(noStatus, 422);
        assertThat(noStatus.body()).contains("EHR-0430").contains("Observation.status");
        String mrn = UUID.randomUUID().toString();
        String bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"fullUrl":"urn:uuid:4f0e7c1a-8b2d-4c3e-9f5a-6b7c8d9e0f01","resource":{"resourceType":"Patient","identifier":[{"system":"urn:test:mrn","value":"%s"}]},
              "request":{"method":"POST","url":"Patient"}},
             {"resource":{"resourceType":"Observation","status":"final","code":{"text":"weight"},
               "valueQuantity":{"value":70,"code":"kg"},"subject":{"reference":"urn:uuid:4f0e7c1a-8b2d-4c3e-9f5a-6b7c8d9e0f01"}},
              "request":{"method":"POST","url":"Observation"}}]}""".formatted(mrn);
        HttpResponse<String> r = TestStack.post(TestStack.app(base) + "/fhir", token, bundle);
        assertOutcome(r, 422);
        assertThat(r.body()).contains("qty-3");
        assertThat(storedWithIdentifier(mrn)).isZero();
    }

    @Test
    void conditionalCreateIsIdempotent() throws Exception {
        String token = token();
        String mrn = UUID.randomUUID().toString();
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:test:mrn\",\"value\":\"" + mrn + "\"}]}";
        HttpResponse<String> first = TestStack.send("POST", fhir("Patient"), token, body,
                "If-None-Exist", "identifier=urn:test:mrn|" + mrn);
        HttpResponse<String> second = TestStack.send("POST", fhir("Patient"), token, body,
                "If-None-Exist", "identifier=urn:test:mrn|" + mrn);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(second.body()).path("id").asText())
                .isEqualTo(JSON.readTree(first.body()).path("id").asText());
        assertThat(storedWithIdentifier(mrn)).isEqualTo(1);
    }

    @Test
    void conditionalUpdateCreatesOnceThenUpdatesTheMatch() throws Exception {
        String token = token();
        String mrn = UUID.randomUUID().toString();
        String url = fhir("Patient?identifier=urn:test:mrn|" + mrn);
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:test:mrn\",\"value\":\""
                + mrn + "\"}],\"name\":[{\"family\":\"%s\"}]}";
        HttpResponse<String> first = TestStack.send("PUT", url, token, body.formatted("Before"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        HttpResponse<String> second = TestStack.send("PUT", url, token, body.formatted("After"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode updated = JSON.readTree(second.body());
        assertThat(updated.path("id").asText()).isEqualTo(JSON.readTree(first.body()).path("id").asText());
        assertThat(updated.path("meta").path("versionId").asText()).isEqualTo("2");
        assertThat(updated.path("name").get(0).path("family").asText()).isEqualTo("After");
        assertThat(storedWithIdentifier(mrn)).isEqualTo(1);
    }

    @Test
    void badInputGetsAClearOperationOutcomeAndStoresNothing() throws Exception {
        String token = token();
        assertOutcome(TestStack.send("POST", fhir("Patient"), token, "{\"resourceType\":\"Patient\",\"name\":["), 400);
        assertOutcome(TestStack.send("POST", fhir("Patient"), token,
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}"), 400);
        HttpResponse<String> unknownRef = TestStack.send("POST", fhir("Observation"), token,
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"subject\":{\"reference\":\"Patient/does-not-exist\"}}");
        assertOutcome(unknownRef, 400);
        assertThat(unknownRef.body()).contains("EHR-0402");
        assertOutcome(TestStack.send("POST", fhir("Patient"), token,
                "{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}"), 400);
        assertOutcome(TestStack.send("POST", fhir("Patient"), token,
                "{\"resourceType\":\"Patient\",\"birthDate\":\"not-a-date\"}"), 400);
        String huge = "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
                + "x".repeat(50 * 1024 * 1024) + "</div>\"}}";
        HttpResponse<String> tooBig = TestStack.send("POST", fhir("Patient"), token, huge);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("EHR-0140");
    }

    private static void assertOutcome(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"resourceType\":\"OperationOutcome\"");
    }

    private static int storedWithIdentifier(String mrn) throws Exception {
        try (Connection c = TestStack.ownerConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', 'nl-amstel', true)")) {
                bind.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM resource_head WHERE identifiers @>"
                    + " CAST(? AS jsonb)")) {
                s.setString(1, "[\"urn:test:mrn|" + mrn + "\"]");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                } finally {
                    c.rollback();
                }
            }
        }
    }
}
