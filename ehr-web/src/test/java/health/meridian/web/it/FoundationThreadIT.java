package health.meridian.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Foundation thread end to end, against the real WAR on Payara Micro with real PostgreSQL, Elasticsearch and
 * Keycloak: token → create Patient over FHIR → row in Postgres → document in Elasticsearch → found by a search;
 * and no/forged token → 401.
 */
@ExtendWith(ArquillianExtension.class)
class FoundationThreadIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9\\-.]+)\"");

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private String fhir(String path) {
        return TestStack.app(base) + "/fhir/" + path;
    }

    @Test
    void patientCreatedThroughTheApiIsStoredMirroredAndFoundBySearch() throws Exception {
        TestStack.ensureTenants(TestStack.app(base));
        String token = TestStack.token("dr.jansen");
        String family = "Thread" + UUID.randomUUID().toString().substring(0, 8);
        String patient = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family
                + "\",\"given\":[\"Élodie\"]}],\"gender\":\"female\",\"birthDate\":\"1984-03-12\"}";

        HttpResponse<String> created = TestStack.post(fhir("Patient"), token, patient);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = idOf(created.body());

        assertThat(storedRow(id)).as("row in resource_version").isEqualTo("nl-amstel:1");
        assertThat(waitForDocument(id)).as("document in Elasticsearch").isTrue();

        // A GET by id is realtime, a search sees the document only after the next refresh (refresh_interval 1s).
        HttpResponse<String> found = TestStack.get(fhir("Patient?name=" + family.toLowerCase() + "&given=elo"),
                token);
        for (int i = 0; i < 30 && !found.body().contains("\"total\":1"); i++) {
            Thread.sleep(200);
            found = TestStack.get(fhir("Patient?name=" + family.toLowerCase() + "&given=elo"), token);
        }
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"id\":\"" + id + "\"").contains("\"total\":1");
    }

    @Test
    void capabilityStatementIsPublicAndListsTheSearchParameters() throws Exception {
        HttpResponse<String> metadata = TestStack.get(fhir("metadata"), null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("\"CapabilityStatement\"").contains("\"name\":\"birthdate\"")
                .contains("\"name\":\"value-quantity\"").contains("transaction");
        var rest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metadata.body()).path("rest").get(0);
        java.util.Map<String, java.util.List<String>> params = new java.util.HashMap<>();
        java.util.Map<String, String> includes = new java.util.HashMap<>();
        for (var r : rest.path("resource")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            r.path("searchParam").forEach(p -> names.add(p.path("name").asText()));
            params.put(r.path("type").asText(), names);
            includes.put(r.path("type").asText(), r.path("searchInclude").toString());
        }
        // the R4 parameters Meridian serves, exactly: Immunization has vaccine-code and no code; phonetic and a
        // composite of a token and a reference are refused, so not listed
        assertThat(params.get("Immunization")).contains("vaccine-code", "date", "patient").doesNotContain("code");
        assertThat(params.get("MedicationRequest")).contains("code", "date", "authoredon", "intent", "medication");
        assertThat(params.get("Observation")).contains("combo-code", "component-value-quantity", "_tag",
                "code-value-quantity");
        assertThat(params.get("DocumentReference")).contains("relatesto").doesNotContain("relationship");
        assertThat(params.get("Condition")).contains("verification-status", "clinical-status", "onset-date");
        assertThat(params.get("Encounter")).contains("class", "type", "date");
        assertThat(params.get("Patient")).contains("family", "gender", "death-date").doesNotContain("phonetic");
        assertThat(includes.get("Observation")).contains("\"*\"").contains("Observation:patient");
    }

    @Test
    void requestWithoutTokenIsRejectedWith401() throws Exception {
        assertThat(TestStack.get(fhir("Patient?name=x"), null).statusCode()).isEqualTo(401);
        assertThat(TestStack.post(fhir("Patient"), null, "{\"resourceType\":\"Patient\"}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void forgedOrTamperedTokenIsRejectedWith401() throws Exception {
        String token = TestStack.token("dr.jansen");
        String[] parts = token.split("\\.");
        String unsigned = parts[0] + "." + parts[1] + ".";
        String tamperedPayload = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        String algNone = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
        for (String bad : new String[] {unsigned, tamperedPayload, algNone, "not-a-jwt"}) {
            assertThat(TestStack.get(fhir("Patient?name=x"), bad).statusCode()).as(bad).isEqualTo(401);
        }
    }

    @Test
    void healthReportsDatabaseSearchAndIdentity() throws Exception {
        HttpResponse<String> health = TestStack.get(TestStack.app(base) + "/health/ready", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"database\"").contains("\"search\"").contains("\"identity\"")
                .as("figures only for operators (issue #18)").doesNotContain("outboxDepth");
        assertThat(TestStack.outboxDepth(TestStack.app(base))).as("the operator's view").isNotNegative();
    }

    private static String idOf(String body) {
        Matcher m = ID.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    private static String storedRow(String id) throws Exception {
        try (Connection c = TestStack.ownerConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', 'nl-amstel', true)")) {
                bind.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT tenant_id, version FROM resource_version"
                    + " WHERE resource_type = 'Patient' AND resource_id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) + ":" + rs.getInt(2) : null;
                } finally {
                    c.rollback();
                }
            }
        }
    }

    private static boolean waitForDocument(String id) throws Exception {
        String url = TestStack.elasticsearch() + "/meridian-records/_doc/" + TestStack.enc("nl-amstel/Patient/" + id);
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> doc = TestStack.get(url, null);
            if (doc.statusCode() == 200 && doc.body().contains("\"found\":true")) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
