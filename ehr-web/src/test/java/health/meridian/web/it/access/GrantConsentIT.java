package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.web.fhir.R4Validation;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access grants read as FHIR Consents: {@code Consent/grant-<id>} and {@code Consent?patient=…} for the patient and
 * the grantee, valid R4, status following revocation; nobody else (another patient, a clinician of another
 * institution) reads them; Consents stored as records keep working and grant ids cannot be written.
 */
@ExtendWith(ArquillianExtension.class)
class GrantConsentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANNA = "person-anna";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;
    private String anna;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        anna = AccessFixtures.token("patient.anna");
        revokeEverythingAnnaGranted();
        fx.ensureInDirectory("dr.mueller"); // the grantee of this class's grants
    }

    /** Anna is shared with other tests: no active grant of hers is left behind. */
    @AfterEach
    void revokeEverythingAnnaGranted() throws Exception {
        fx.revokeAllGrants(anna);
    }

    @Test
    void thePatientAndTheGranteeReadTheGrantAsAValidConsentThatFollowsRevocation() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, ANNA);
        String grant = grant();
        String consent = "Consent/grant-" + grant;

        HttpResponse<String> own = AccessFixtures.send("GET", fx.fhir(consent), anna, null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(R4Validation.errors(own.body())).isEmpty();
        JsonNode c = JSON.readTree(own.body());
        assertThat(c.path("status").asText()).isEqualTo("active");
        assertThat(c.path("scope").path("coding").get(0).path("code").asText()).isEqualTo("patient-privacy");
        assertThat(c.path("patient").path("identifier").path("value").asText()).isEqualTo(ANNA);
        JsonNode provision = c.path("provision");
        assertThat(provision.path("type").asText()).isEqualTo("permit");
        assertThat(provision.path("actor").get(0).path("reference").path("identifier").path("value").asText())
                .isEqualTo("prac-de-mueller");
        assertThat(provision.path("purpose").get(0).path("code").asText()).isEqualTo("TREAT");
        assertThat(provision.path("provision").get(0).path("type").asText()).isEqualTo("deny");
        assertThat(provision.path("provision").get(0).path("securityLabel").toString()).contains("\"PSY\"");
        assertThat(consentIds(anna, patient)).contains("grant-" + grant);

        String mueller = AccessFixtures.token("dr.mueller");
        assertThat(AccessFixtures.send("GET", fx.fhir(consent), mueller, null).statusCode()).isEqualTo(200);
        assertThat(consentIds(mueller, patient)).contains("grant-" + grant);

        AccessFixtures.send("DELETE", fx.api("grants/" + grant), anna, null);
        JsonNode revoked = JSON.readTree(AccessFixtures.send("GET", fx.fhir(consent), anna, null).body());
        assertThat(revoked.path("status").asText()).isEqualTo("inactive");
        assertThat(AccessFixtures.auditOf("patient.anna", "grant-" + grant)).contains("read:0:PATRQT");
    }

    @Test
    void anotherPatientAndAnotherInstitutionsClinicianCannotReadTheGrant() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, ANNA);
        String id = "grant-" + grant();
        String consent = "Consent/" + id;
        String bram = AccessFixtures.token("patient.bram");
        assertThat(AccessFixtures.send("GET", fx.fhir(consent), bram, null).statusCode()).isEqualTo(404);
        assertThat(consentIds(bram, patient)).doesNotContain(id);
        // jansen cares for Anna at Amstel (he registered her there) but the grant is to a practitioner at Spree
        assertThat(AccessFixtures.send("GET", fx.fhir(consent), jansen, null).statusCode()).isEqualTo(404);
        assertThat(consentIds(jansen, patient)).as("he reads Anna's Patient, not her grant to Spree").isNotNull()
                .doesNotContain(id);
        assertThat(AccessFixtures.send("GET", fx.fhir(consent), AccessFixtures.token("admin.spree"), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void storedConsentsStillWorkAndGrantIdsCannotBeWritten() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, AccessFixtures.newPerson());
        String body = "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"research\"}]},\"category\":[{"
                + "\"text\":\"research\"}],\"policyRule\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
                + "CodeSystem/v3-ActCode\",\"code\":\"OPTIN\"}]},\"patient\":{\"reference\":\"Patient/" + patient
                + "\"}}";
        HttpResponse<String> created = AccessFixtures.send("POST", fx.fhir("Consent"), jansen, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = AccessFixtures.idOf(created.body());
        assertThat(AccessFixtures.send("GET", fx.fhir("Consent/" + id), jansen, null).statusCode()).isEqualTo(200);

        HttpResponse<String> put = AccessFixtures.send("PUT", fx.fhir("Consent/grant-made-up"), jansen,
                body.replace("{\"resourceType\":\"Consent\",", "{\"resourceType\":\"Consent\",\"id\":\"grant-made-up\","));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
        assertThat(put.body()).contains("EHR-0663");
    }

    private String grant() throws Exception {
        HttpResponse<String> r = AccessFixtures.send("POST", fx.api("grants"), anna, "{\"practitioner\":"
                + "\"prac-de-mueller\",\"confirmCrossBorder\":true,\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return AccessFixtures.idOf(r.body());
    }

    private List<String> consentIds(String token, String patient) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir("Consent?patient=Patient/" + patient), token,
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
        return ids;
    }
}
