package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another institution's records do not exist for a caller without a grant: read, vread, history and search answer
 * 404 / no hits, and every attempt leaves an audit event with outcome 4 (minor failure). Within the institution,
 * the care team decides.
 */
@ExtendWith(ArquillianExtension.class)
class CrossTenantIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
    }

    @Test
    void anotherInstitutionsResourceIsNotFoundByIdVersionHistoryOrSearchAndEachAttemptIsAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String patient = fx.patient(jansen, person);
        String obs = fx.observation(jansen, patient);
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", patient);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), jansen, null).statusCode())
                .as("the author's own care team reads it").isEqualTo(200);

        String mueller = AccessFixtures.token("dr.mueller");
        for (String path : new String[] {"Observation/" + obs, "Observation/" + obs + "/_history/1",
                "Observation/" + obs + "/_history", "Patient/" + patient}) {
            HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir(path), mueller, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(404);
        }
        HttpResponse<String> search = AccessFixtures.send("GET", fx.fhir("Observation?patient=Patient/" + patient),
                mueller, null);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).doesNotContain(obs);

        assertThat(AccessFixtures.auditOf("dr.mueller", obs))
                .containsExactly("read:4:null", "vread:4:null", "history-instance:4:null");
        assertThat(AccessFixtures.auditOf("dr.jansen", obs)).containsExactly("create:0:TREAT", "read:0:TREAT");
    }

    @Test
    void sameInstitutionOutsideTheCareTeamIsNotFoundAndAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String patient = fx.patient(jansen, person);
        String obs = fx.observation(jansen, patient);
        String nurse = AccessFixtures.token("nurse.visser");
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), nurse, null).statusCode())
                .isEqualTo(404);
        fx.careTeam("nl-amstel", "prac-nl-visser", "nurse", patient);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), nurse, null).statusCode())
                .isEqualTo(200);
        assertThat(AccessFixtures.auditOf("nurse.visser", obs)).containsExactly("read:4:null", "read:0:TREAT");
    }

    /**
     * Types served since the resource catalogue (issue #19) are decided like the old ones: one in the Patient
     * compartment by its patient (another institution and the same institution outside the care team: 404, no search
     * hit), one about no patient (Location) by the institution rule (its staff read it, another institution does not);
     * a record naming two patients and a Bundle stored as a record are refused.
     */
    @Test
    void newlyServedTypesAreDecidedByTheirPatientOrTheirInstitution() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, AccessFixtures.newPerson());
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", patient);
        String subject = "{\"reference\":\"Patient/" + patient + "\"}";
        String history = created(AccessFixtures.send("POST", fx.fhir("FamilyMemberHistory"), jansen,
                "{\"resourceType\":\"FamilyMemberHistory\",\"status\":\"completed\",\"patient\":" + subject
                        + ",\"relationship\":{\"text\":\"mother\"}}"));
        String appointment = created(AccessFixtures.send("POST", fx.fhir("Appointment"), jansen,
                "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"start\":\"2026-12-10T09:00:00Z\","
                        + "\"end\":\"2026-12-10T09:30:00Z\",\"participant\":[{\"actor\":"
                        + "{\"reference\":\"Patient/" + patient + "\"},\"status\":\"accepted\"}]}"));
        String location = created(AccessFixtures.send("POST", fx.fhir("Location"), jansen,
                "{\"resourceType\":\"Location\",\"name\":\"Ward 7\"}"));
        for (String path : new String[] {"FamilyMemberHistory/" + history, "Appointment/" + appointment,
                "Location/" + location}) {
            assertThat(AccessFixtures.send("GET", fx.fhir(path), jansen, null).statusCode()).as(path).isEqualTo(200);
        }

        String mueller = AccessFixtures.token("dr.mueller");
        String nurse = AccessFixtures.token("nurse.visser");
        for (String path : new String[] {"FamilyMemberHistory/" + history, "Appointment/" + appointment,
                "Appointment/" + appointment + "/_history/1"}) {
            assertThat(AccessFixtures.send("GET", fx.fhir(path), mueller, null).statusCode()).as(path).isEqualTo(404);
            assertThat(AccessFixtures.send("GET", fx.fhir(path), nurse, null).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(AccessFixtures.send("GET", fx.fhir("Location/" + location), mueller, null).statusCode())
                .isEqualTo(404);
        assertThat(AccessFixtures.send("GET", fx.fhir("Location/" + location), nurse, null).statusCode())
                .as("a record about no patient: the institution's staff").isEqualTo(200);
        HttpResponse<String> search = AccessFixtures.send("GET", fx.fhir("FamilyMemberHistory?patient=Patient/"
                + patient + "&_consistency=strong"), mueller, null);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).doesNotContain(history);
        assertThat(AccessFixtures.auditOf("dr.mueller", history)).containsExactly("read:4:null");

        String other = fx.patient(jansen, AccessFixtures.newPerson());
        HttpResponse<String> group = AccessFixtures.send("POST", fx.fhir("Group"), jansen,
                "{\"resourceType\":\"Group\",\"type\":\"person\",\"actual\":true,\"member\":[{\"entity\":"
                        + subject + "},{\"entity\":{\"reference\":\"Patient/" + other + "\"}}]}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(400);
        assertThat(group.body()).contains("EHR-0460");
        HttpResponse<String> bundle = AccessFixtures.send("POST", fx.fhir(""), jansen,
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":"
                        + "\"Bundle\",\"type\":\"collection\"},\"request\":{\"method\":\"POST\",\"url\":\"Bundle\"}}]}");
        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(400);
        assertThat(bundle.body()).contains("EHR-0461");
    }

    /**
     * Binary (issue #19): stored with the record whose access governs it (securityContext), served raw with its
     * content type or as a FHIR Binary by Accept; a DocumentReference's attachment points at it by URL and must be
     * about the same patient. Whoever may not read the patient's records gets 404 either way.
     */
    @Test
    void binaryIsServedByItsContentTypeAndDecidedByThePatientOfItsRecord() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, AccessFixtures.newPerson());
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", patient);
        String text = "Discharge letter: Müller, 2026-12-06";
        String data = java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String binary = created(AccessFixtures.send("POST", fx.fhir("Binary"), jansen, "{\"resourceType\":\"Binary\","
                + "\"contentType\":\"text/plain; charset=utf-8\",\"securityContext\":{\"reference\":\"Patient/"
                + patient + "\"},\"data\":\"" + data + "\"}"));
        String document = created(AccessFixtures.send("POST", fx.fhir("DocumentReference"), jansen,
                "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":{\"reference\":"
                        + "\"Patient/" + patient + "\"},\"content\":[{\"attachment\":{\"contentType\":\"text/plain\","
                        + "\"url\":\"Binary/" + binary + "\"}}]}"));
        assertThat(AccessFixtures.send("GET", fx.fhir("DocumentReference/" + document), jansen, null).body())
                .contains("\"url\":\"Binary/" + binary + "\"");

        HttpResponse<byte[]> raw = AccessFixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(fx.fhir("Binary/" + binary))).header("Authorization", "Bearer " + jansen)
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text);
        HttpResponse<String> asFhir = AccessFixtures.send("GET", fx.fhir("Binary/" + binary), jansen, null);
        assertThat(asFhir.statusCode()).isEqualTo(200);
        assertThat(asFhir.body()).contains("\"resourceType\":\"Binary\"").contains(data);

        for (String user : new String[] {"dr.mueller", "nurse.visser", "admin.amstel"}) {
            String token = AccessFixtures.token(user);
            HttpResponse<byte[]> refused = AccessFixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(fx.fhir("Binary/" + binary))).header("Authorization", "Bearer " + token)
                    .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(refused.statusCode()).as(user).isEqualTo(404);
            assertThat(new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Discharge");
            assertThat(AccessFixtures.send("GET", fx.fhir("Binary/" + binary), token, null).statusCode()).as(user)
                    .isEqualTo(404);
        }

        HttpResponse<String> upload = AccessFixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(fx.fhir("Binary"))).header("Authorization", "Bearer " + jansen)
                .header("Content-Type", "application/pdf").header("X-Security-Context", "Patient/" + patient)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {'%', 'P', 'D', 'F', 0, 1}))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as("raw upload: " + upload.body()).isEqualTo(201);
        String uploaded = upload.headers().firstValue("Location").orElseThrow()
                .replaceAll(".*/Binary/([^/]+)/_history/.*", "$1");
        HttpResponse<byte[]> pdf = AccessFixtures.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(fx.fhir("Binary/" + uploaded))).header("Authorization", "Bearer " + jansen)
                .header("Accept", "application/pdf").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        assertThat(pdf.body()).containsExactly('%', 'P', 'D', 'F', 0, 1);
        assertThat(AccessFixtures.send("GET", fx.fhir("Binary/" + uploaded), AccessFixtures.token("dr.mueller"),
                null).statusCode()).isEqualTo(404);

        HttpResponse<String> ungoverned = AccessFixtures.send("POST", fx.fhir("Binary"), jansen,
                "{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"" + data + "\"}");
        assertThat(ungoverned.statusCode()).as(ungoverned.body()).isEqualTo(400);
        assertThat(ungoverned.body()).contains("EHR-0462");
        String other = fx.patient(jansen, AccessFixtures.newPerson());
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", other);
        HttpResponse<String> foreign = AccessFixtures.send("POST", fx.fhir("DocumentReference"), jansen,
                "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":{\"reference\":"
                        + "\"Patient/" + other + "\"},\"content\":[{\"attachment\":{\"url\":\"Binary/" + binary
                        + "\"}}]}");
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
        assertThat(foreign.body()).contains("EHR-0463");
    }

    private static String created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return AccessFixtures.idOf(response.body());
    }

    @Test
    void adminsAndResearchersReadNoClinicalContentAndTheRefusalIsAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String obs = fx.observation(jansen, fx.patient(jansen, person));
        for (String user : new String[] {"admin.amstel", "researcher.lee", "platform.admin"}) {
            HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir("Observation/" + obs),
                    AccessFixtures.token(user), null);
            assertThat(r.statusCode()).as(user).isEqualTo(404);
            assertThat(AccessFixtures.auditOf(user, obs)).as(user).containsExactly("read:4:null");
        }
        HttpResponse<String> write = AccessFixtures.send("POST", fx.fhir("Observation"),
                AccessFixtures.token("researcher.lee"), "{\"resourceType\":\"Observation\",\"status\":\"final\","
                        + "\"code\":{\"text\":\"x\"}}");
        assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
        assertThat(write.body()).contains("EHR-0302");
    }

    @Test
    void onlyTheTenantAdminManagesCareTeams() throws Exception {
        HttpResponse<String> r = AccessFixtures.send("PUT", fx.api("care-teams/team-by-a-doctor"),
                AccessFixtures.token("dr.jansen"), "{\"name\":\"self-made\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("EHR-0626");
        HttpResponse<String> bad = AccessFixtures.send("POST", fx.api("care-teams/no-such-team/members"),
                AccessFixtures.token("admin.amstel"), "{\"practitioner\":\"prac-nl-jansen\",\"institution\":"
                        + "\"nl-amstel\",\"role\":\"surgeon\"}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("EHR-0622");
    }
}
