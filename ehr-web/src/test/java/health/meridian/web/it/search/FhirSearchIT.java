package health.meridian.web.it.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FHIR search semantics served from the mirror, the timeline API, paging, includes, chains — and that none of it
 * reaches across institutions. Each test creates its own patient (unique names), so tests are independent.
 */
@ExtendWith(ArquillianExtension.class)
class FhirSearchIT {

    private static final String LOINC = "http://loinc.org";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private String app() {
        return TestStack.app(base);
    }

    private String fhir(String path) {
        return app() + "/fhir/" + path;
    }

    /** A patient of nl-amstel with two HbA1c results, a blood pressure and a problem; waits for the mirror. */
    private Fixture fixture() throws Exception {
        TestStack.ensureTenants(app());
        String token = TestStack.token("dr.jansen");
        String family = "Srch" + UUID.randomUUID().toString().substring(0, 8);
        String mrn = UUID.randomUUID().toString();
        String bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"fullUrl":"urn:uuid:6d1f3b9e-2a4c-4e8f-b0d2-7c9a1e3f5b70","resource":{"resourceType":"Patient","identifier":[{"system":"urn:test:mrn","value":"%s"}],
               "name":[{"family":"%s","given":["Zoë"]}],"gender":"female","birthDate":"1970-05-06"},
              "request":{"method":"POST","url":"Patient"}},
             {"resource":{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
               "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},"subject":{"reference":"urn:uuid:6d1f3b9e-2a4c-4e8f-b0d2-7c9a1e3f5b70"},
               "effectiveDateTime":"2024-01-10T09:00:00Z","valueQuantity":{"value":7.1,"unit":"%%","system":"http://unitsofmeasure.org","code":"%%"}},
              "request":{"method":"POST","url":"Observation"}},
             {"resource":{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
               "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},"subject":{"reference":"urn:uuid:6d1f3b9e-2a4c-4e8f-b0d2-7c9a1e3f5b70"},
               "effectiveDateTime":"2024-06-10T09:00:00Z","valueQuantity":{"value":8.3,"unit":"%%","system":"http://unitsofmeasure.org","code":"%%"}},
              "request":{"method":"POST","url":"Observation"}},
             {"resource":{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
               "code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure"}]},"subject":{"reference":"urn:uuid:6d1f3b9e-2a4c-4e8f-b0d2-7c9a1e3f5b70"},
               "effectiveDateTime":"2024-03-01T09:00:00Z","component":[
                 {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":132,"unit":"mmHg"}},
                 {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":84,"unit":"mmHg"}}]},
              "request":{"method":"POST","url":"Observation"}},
             {"resource":{"resourceType":"Condition","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
               "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}]},"subject":{"reference":"urn:uuid:6d1f3b9e-2a4c-4e8f-b0d2-7c9a1e3f5b70"},
               "onsetDateTime":"2019-02-01"},
              "request":{"method":"POST","url":"Condition"}}
            ]}""".formatted(mrn, family);
        HttpResponse<String> created = TestStack.post(app() + "/fhir", token, bundle);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String location = read(created.body()).path("entry").get(0).path("response").path("location").asText();
        String id = location.split("/")[1];
        Fixture f = new Fixture(token, id, family, mrn);
        waitForCount(f, "Observation?patient=" + id, 3);
        waitForCount(f, "Condition?patient=" + id, 1);
        return f;
    }

    record Fixture(String token, String patientId, String family, String mrn) {
    }

    @Test
    void stringDateAndTokenParametersOnPatient() throws Exception {
        Fixture f = fixture();
        assertThat(ids(f, "Patient?family=" + f.family().substring(0, 6).toLowerCase() + "&given=ZOE"))
                .contains("Patient/" + f.patientId());
        assertThat(ids(f, "Patient?name=" + f.family() + "&birthdate=1970-05")).containsExactly("Patient/" + f.patientId());
        assertThat(ids(f, "Patient?name=" + f.family() + "&birthdate=gt1971")).isEmpty();
        assertThat(ids(f, "Patient?name=" + f.family() + "&gender=male")).isEmpty();
        assertThat(ids(f, "Patient?identifier=urn:test:mrn|" + f.mrn())).containsExactly("Patient/" + f.patientId());
    }

    @Test
    void observationCodeDateQuantitySortAndChain() throws Exception {
        Fixture f = fixture();
        String p = "patient=" + f.patientId();
        List<String> hba1c = ids(f, "Observation?" + p + "&code=" + LOINC + "|4548-4&_sort=-date");
        assertThat(hba1c).hasSize(2);
        JsonNode sorted = search(f, "Observation?" + p + "&code=4548-4&_sort=-date");
        assertThat(sorted.path("entry").get(0).path("resource").path("valueQuantity").path("value").asDouble())
                .isEqualTo(8.3);
        assertThat(ids(f, "Observation?" + p + "&date=ge2024-03-01")).hasSize(2);
        assertThat(ids(f, "Observation?" + p + "&date=lt2024-03-01")).hasSize(1);
        assertThat(ids(f, "Observation?" + p + "&value-quantity=gt8")).hasSize(1);
        assertThat(ids(f, "Observation?" + p + "&category=vital-signs")).hasSize(1);
        assertThat(ids(f, "Observation?patient.identifier=urn:test:mrn|" + f.mrn())).hasSize(3);
        assertThat(ids(f, "Condition?" + p + "&clinical-status=active")).hasSize(1);
        assertThat(ids(f, "Observation?" + p + "&code:text=a1c")).hasSize(2);
    }

    @Test
    void includeRevincludeSummaryCountAndStablePaging() throws Exception {
        Fixture f = fixture();
        JsonNode inc = search(f, "Observation?patient=" + f.patientId() + "&_include=Observation:patient");
        assertThat(FhirJson.entries(inc, "include")).containsExactly("Patient/" + f.patientId());
        JsonNode rev = search(f, "Patient?_id=" + f.patientId() + "&_revinclude=Observation:patient");
        assertThat(FhirJson.entries(rev, "match")).containsExactly("Patient/" + f.patientId());
        assertThat(FhirJson.entries(rev, "include")).hasSize(3);
        JsonNode count = search(f, "Observation?patient=" + f.patientId() + "&_summary=count");
        assertThat(count.path("total").asInt()).isEqualTo(3);
        assertThat(count.has("entry")).isFalse();

        List<String> paged = new ArrayList<>();
        JsonNode page = search(f, "Observation?patient=" + f.patientId() + "&_count=1&_sort=date");
        while (true) {
            paged.addAll(FhirJson.entries(page, "match"));
            String next = FhirJson.link(page, "next");
            if (next == null) {
                break;
            }
            page = FhirJson.read(TestStack.get(next, f.token()).body());
            assertThat(paged.size()).isLessThan(10);
        }
        assertThat(paged).hasSize(3).doesNotHaveDuplicates();
    }

    /**
     * ADR 0037: a decimal's precision is significant (R4 datatypes), so a search answers each record with the very
     * bytes its read answers — the values as a client may send them. Elasticsearch's source filtering once wrote
     * them through a double (7.10 answered 7.1 by the search, 7.10 by the read; 0.0000001 as 1.0E-7).
     */
    @Test
    void searchAnswersEveryDecimalByteForByteAsTheReadOfTheSameRecord() throws Exception {
        Fixture f = fixture();
        List<String> values = List.of("7.10", "0.0000001", "100", "100.0", "1.50e3", "2E-7", "-0.50",
                "12345678901234567890.123456789012");
        List<String> ids = new ArrayList<>();
        for (String value : values) {
            HttpResponse<String> r = TestStack.post(fhir("Observation"), f.token(), """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org",
                 "code":"2345-7"}]},"subject":{"reference":"Patient/%s"},"effectiveDateTime":"2024-07-01",
                 "valueQuantity":{"value":%s,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}"""
                    .formatted(f.patientId(), value));
            assertThat(r.statusCode()).as(value + ": " + r.body()).isEqualTo(201);
            ids.add("Observation/" + read(r.body()).path("id").asText());
        }
        waitForCount(f, "Observation?patient=" + f.patientId(), 3 + values.size());

        HttpResponse<String> page = TestStack.get(fhir("Observation?patient=" + f.patientId() + "&_count=50"),
                f.token());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        java.util.Map<String, String> answered = health.meridian.web.it.RawJson.entryResources(page.body());
        assertThat(answered.keySet()).containsAll(ids).hasSize(3 + values.size());
        for (var hit : answered.entrySet()) {
            HttpResponse<String> read = TestStack.get(fhir(hit.getKey()), f.token());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(hit.getValue()).as(hit.getKey() + " searched vs read").isEqualTo(read.body());
        }
        assertThat(answered.get(ids.get(0))).contains("\"value\":7.10,");
        assertThat(answered.get(ids.get(1))).contains("\"value\":0.0000001,");
        assertThat(answered.get(ids.get(6))).contains("\"value\":-0.50,");
    }

    @Test
    void unsupportedParametersAreRefusedWithAnOperationOutcome() throws Exception {
        Fixture f = fixture();
        HttpResponse<String> r = TestStack.get(fhir("Observation?foo=bar"), f.token());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("OperationOutcome").contains("EHR-0501");
        HttpResponse<String> bad = TestStack.get(fhir("Observation?date=yesterday"), f.token());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("EHR-0507");
    }

    @Test
    void timelineNewestFirstWithFacetsFiltersAndCursor() throws Exception {
        Fixture f = fixture();
        String url = app() + "/api/patients/" + f.patientId() + "/timeline?size=2";
        JsonNode first = FhirJson.read(TestStack.get(url, f.token()).body());
        assertThat(first.path("total").asInt()).isEqualTo(4);
        assertThat(first.path("entries")).hasSize(2);
        assertThat(first.path("entries").get(0).path("effective").asText()).startsWith("2024-06-10");
        assertThat(first.path("entries").get(0).path("title").asText()).isEqualTo("Hemoglobin A1c");
        assertThat(first.path("entries").get(0).path("institution").asText()).isEqualTo("Amstel Hospital");
        assertThat(first.path("facets").path("category").toString()).contains("laboratory").contains("vital-signs");
        assertThat(first.path("histogram").toString()).contains("2024-06");
        JsonNode second = FhirJson.read(TestStack.get(url + "&after=" + first.path("next").asText(), f.token()).body());
        assertThat(second.path("entries")).hasSize(2);
        assertThat(second.path("entries").get(1).path("category").asText()).isEqualTo("problem");
        JsonNode vitals = FhirJson.read(TestStack.get(url + "&category=vital-signs", f.token()).body());
        assertThat(vitals.path("entries")).hasSize(1);
        assertThat(vitals.path("entries").get(0).path("detail").asText()).isEqualTo("132/84 mmHg");
    }

    @Test
    void nothingCrossesInstitutions() throws Exception {
        Fixture f = fixture();
        String other = TestStack.token("dr.mueller");
        assertThat(TestStack.get(fhir("Patient/" + f.patientId()), other).statusCode()).isEqualTo(404);
        assertThat(TestStack.get(fhir("Patient/" + f.patientId() + "/_history"), other).statusCode()).isEqualTo(404);
        assertThat(TestStack.get(fhir("Patient/" + f.patientId() + "/$everything"), other).statusCode())
                .isEqualTo(404);
        assertThat(ids(other, "Patient?name=" + f.family())).isEmpty();
        assertThat(ids(other, "Observation?patient=" + f.patientId())).isEmpty();
        assertThat(ids(other, "Observation?patient.identifier=urn:test:mrn|" + f.mrn())).isEmpty();
        assertThat(ids(other, "Patient?_id=" + f.patientId() + "&_revinclude=Observation:patient")).isEmpty();
        JsonNode mine = search(f, "Observation?patient=" + f.patientId() + "&_count=1");
        JsonNode replayed = FhirJson.read(TestStack.get(FhirJson.link(mine, "next"), other).body());
        assertThat(FhirJson.entries(replayed, "match")).isEmpty();
        assertThat(TestStack.get(app() + "/api/patients/" + f.patientId() + "/timeline", other).statusCode())
                .isEqualTo(404);
        HttpResponse<String> everything = TestStack.get(fhir("Patient/" + f.patientId() + "/$everything"), f.token());
        assertThat(FhirJson.entries(FhirJson.read(everything.body()), "match")).hasSize(5);
    }

    private JsonNode search(Fixture f, String query) throws Exception {
        HttpResponse<String> r = TestStack.get(fhir(query), f.token());
        assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(200);
        return read(r.body());
    }

    private List<String> ids(Fixture f, String query) throws Exception {
        return ids(f.token(), query);
    }

    private List<String> ids(String token, String query) throws Exception {
        HttpResponse<String> r = TestStack.get(fhir(query), token);
        assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(200);
        return FhirJson.entries(read(r.body()), "match");
    }

    private void waitForCount(Fixture f, String query, int expected) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode b = read(TestStack.get(fhir(query + "&_summary=count"), f.token()).body());
            if (b.path("total").asInt() == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("mirror did not reach " + expected + " for " + query);
    }

    private static JsonNode read(String body) throws Exception {
        return FhirJson.read(body);
    }
}
