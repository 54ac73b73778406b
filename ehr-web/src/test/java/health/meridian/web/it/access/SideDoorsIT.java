package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The side doors of issue #18, each closed: what the caller may not read never matches a conditional create or
 * reference, a write about it answers exactly like one about something unknown, a PUT creates no second record
 * under another institution's id, naming an existing person opens none of their records, and timeline pages and
 * searches are audited with every patient they carry. Each test fails if its check is removed.
 */
@ExtendWith(ArquillianExtension.class)
class SideDoorsIT {

    private static final String MRN = "urn:test:mrn";

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
    void aConditionalCreateMatchesOnlyWhatTheCallerMayReadAndTheMatchIsAudited() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String mrn = UUID.randomUUID().toString();
        String existing = AccessFixtures.idOf(expect(201, AccessFixtures.send("POST", fx.fhir("Patient"), jansen,
                patient(mrn, "Hidden"))).body());

        HttpResponse<String> mine = conditionalCreate(jansen, mrn);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(AccessFixtures.idOf(mine.body())).isEqualTo(existing);
        assertThat(AccessFixtures.auditOf("dr.jansen", existing)).contains("search-type:0:TREAT");

        HttpResponse<String> nurse = conditionalCreate(AccessFixtures.token("nurse.visser"), mrn);
        assertThat(nurse.statusCode()).as("a record the nurse may not read does not match: " + nurse.body())
                .isEqualTo(201);
        assertThat(AccessFixtures.idOf(nurse.body())).isNotEqualTo(existing);
        assertThat(nurse.body()).doesNotContain("Hidden");
        assertThat(AccessFixtures.auditOf("nurse.visser", existing)).isEmpty();
    }

    @Test
    void writesAboutWhatTheCallerMayNotSeeAnswerExactlyLikeWritesAboutNothing() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String mrn = UUID.randomUUID().toString();
        String patient = AccessFixtures.idOf(expect(201, AccessFixtures.send("POST", fx.fhir("Patient"), jansen,
                patient(mrn, "Known"))).body());
        String obs = fx.observation(jansen, patient);
        String nurse = AccessFixtures.token("nurse.visser");
        String unknown = UUID.randomUUID().toString();

        assertSameAnswer(AccessFixtures.send("POST", fx.fhir("Observation"), nurse, note("Patient/" + patient)),
                AccessFixtures.send("POST", fx.fhir("Observation"), nurse, note("Patient/" + unknown)),
                patient, unknown, 400);
        assertSameAnswer(AccessFixtures.send("PUT", fx.fhir("Observation/" + obs), nurse, withId(obs, note(
                        "Patient/" + patient))),
                AccessFixtures.send("PUT", fx.fhir("Observation/" + unknown), nurse, withId(unknown, note(
                        "Patient/" + patient))), obs, unknown, 405);
        assertSameAnswer(AccessFixtures.send("DELETE", fx.fhir("Observation/" + obs), nurse, null),
                AccessFixtures.send("DELETE", fx.fhir("Observation/" + unknown), nurse, null), obs, unknown, 404);
        assertSameAnswer(transaction(nurse, "Patient?identifier=" + MRN + "|" + mrn),
                transaction(nurse, "Patient?identifier=" + MRN + "|" + unknown), mrn, unknown, 400);

        HttpResponse<String> still = AccessFixtures.send("GET", fx.fhir("Observation/" + obs), jansen, null);
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(still.body()).contains("\"versionId\":\"1\"");
    }

    @Test
    void aPutOfAnotherInstitutionsIdCreatesNoSecondRecord() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String obs = fx.observation(jansen, fx.patient(jansen, person));
        String mueller = AccessFixtures.token("dr.mueller");
        String spreePatient = fx.patient(mueller, AccessFixtures.newPerson());
        HttpResponse<String> put = AccessFixtures.send("PUT", fx.fhir("Observation/" + obs), mueller,
                withId(obs, note("Patient/" + spreePatient)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(405);
        assertThat(put.body()).contains("EHR-0406");
        assertThat(holders("Observation", obs)).containsExactly("nl-amstel");
    }

    @Test
    void namingAnExistingPersonOpensNoneOfTheirRecords() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String obs = fx.observation(jansen, fx.patient(jansen, person), "PSY");
        String nurse = AccessFixtures.token("nurse.visser");
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), nurse, null).statusCode())
                .isEqualTo(404);
        fx.patient(nurse, person);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), nurse, null).statusCode())
                .as("a second registration of the same person is no care relationship").isEqualTo(404);

        String fresh = AccessFixtures.newPerson();
        String own = fx.observation(nurse, fx.patient(nurse, fresh));
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + own), nurse, null).statusCode())
                .as("registering a new person still starts the care relationship").isEqualTo(200);
    }

    /**
     * A foreign institution cannot attach records to someone else's person: naming a person it has never registered
     * is refused (EHR-0450) unless the person consented (an active grant to it), in a plain create and inside a
     * transaction alike; a revoked grant is no consent; and nothing of a refused write is stored.
     */
    @Test
    void aForeignInstitutionAttachesRecordsToAPersonOnlyWithTheirConsent() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String mueller = AccessFixtures.token("dr.mueller");
        String person = AccessFixtures.newPerson();
        fx.patient(jansen, person);
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\","
                + "\"value\":\"" + person + "\"}],\"name\":[{\"family\":\"Attach\"}]}";

        HttpResponse<String> refused = AccessFixtures.send("POST", fx.fhir("Patient"), mueller, body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("EHR-0450");
        HttpResponse<String> inBundle = AccessFixtures.send("POST", fx.fhir(""), mueller,
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:"
                + UUID.randomUUID() + "\",\"resource\":" + body + ",\"request\":{\"method\":\"POST\","
                + "\"url\":\"Patient\"}}]}");
        assertThat(inBundle.statusCode()).as(inBundle.body()).isEqualTo(400);
        assertThat(inBundle.body()).contains("EHR-0450");

        String revoked = AccessFixtures.consent(person, "de-spree");
        AccessFixtures.revokeConsent(revoked, person);
        HttpResponse<String> afterRevoke = AccessFixtures.send("POST", fx.fhir("Patient"), mueller, body);
        assertThat(afterRevoke.statusCode()).as("a revoked grant is no consent").isEqualTo(400);
        assertThat(afterRevoke.body()).contains("EHR-0450");
        assertThat(holdersOfPerson(person)).as("nothing of the refused writes was stored").containsExactly(
                "nl-amstel");

        String consent = AccessFixtures.consent(person, "de-spree");
        try {
            HttpResponse<String> linked = AccessFixtures.send("POST", fx.fhir("Patient"), mueller, body);
            assertThat(linked.statusCode()).as("with the person's consent: " + linked.body()).isEqualTo(201);
        } finally {
            AccessFixtures.revokeConsent(consent, person);
        }
        assertThat(holdersOfPerson(person)).containsExactlyInAnyOrder("nl-amstel", "de-spree");
    }

    /** The institutions holding a Patient record of the person (read as the schema owner bound to each). */
    private static List<String> holdersOfPerson(String person) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = AccessFixtures.owner()) {
            for (String tenant : List.of("nl-amstel", "de-spree")) {
                try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
                    bind.setString(1, tenant);
                    bind.executeQuery().close();
                }
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM resource_head WHERE tenant_id = ?"
                        + " AND person_id = ? AND resource_type = 'Patient'")) {
                    s.setString(1, tenant);
                    s.setString(2, person);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            out.add(tenant);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void timelinePagesAndSearchesAreAuditedWithEveryPatientTheyCarry() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String first = AccessFixtures.newPerson();
        String second = AccessFixtures.newPerson();
        String firstPatient = fx.patient(jansen, first);
        dated(jansen, firstPatient);
        dated(jansen, fx.patient(jansen, second));

        HttpResponse<String> timeline = AccessFixtures.send("GET", fx.api("patients/" + firstPatient
                + "/timeline?_consistency=strong"), jansen, null);
        assertThat(timeline.statusCode()).as(timeline.body()).isEqualTo(200);
        assertThat(auditAbout("dr.jansen", "timeline", first)).containsExactly("nl-amstel:0");

        HttpResponse<String> search = AccessFixtures.send("GET", fx.fhir("Observation?code=http://loinc.org%7C8867-4"
                + "&_count=200&_consistency=strong"), jansen, null);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(auditAbout("dr.jansen", "search-type", first)).contains("nl-amstel:0");
        assertThat(auditAbout("dr.jansen", "search-type", second)).contains("nl-amstel:0");
    }

    @Test
    void aRecordAboutAPatientIsNeverStoredAsARecordAboutNobody() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String mrn = UUID.randomUUID().toString();
        String patient = AccessFixtures.idOf(expect(201, AccessFixtures.send("POST", fx.fhir("Patient"), jansen,
                patient(mrn, "Subject"))).body());
        String obs = fx.observation(jansen, patient);
        String byIdentifier = AccessFixtures.idOf(expect(201, AccessFixtures.send("POST", fx.fhir("Observation"),
                jansen, noteAbout("{\"identifier\":{\"system\":\"" + MRN + "\",\"value\":\"" + mrn + "\"}}")))
                .body());
        String provenance = AccessFixtures.idOf(expect(201, AccessFixtures.send("POST", fx.fhir("Provenance"),
                jansen, "{\"resourceType\":\"Provenance\",\"target\":[{\"reference\":\"Observation/" + obs
                        + "\"}],\"recorded\":\"2026-01-01T00:00:00Z\",\"agent\":[{\"who\":{\"display\":"
                        + "\"Dr Jansen\"}}]}")).body());

        HttpResponse<String> resolved = AccessFixtures.send("GET", fx.fhir("Observation/" + byIdentifier), jansen,
                null);
        assertThat(resolved.body()).as("the identifier became a literal reference").contains("Patient/" + patient);
        String nurse = AccessFixtures.token("nurse.visser");
        for (String path : List.of("Observation/" + byIdentifier, "Provenance/" + provenance)) {
            assertThat(AccessFixtures.send("GET", fx.fhir(path), jansen, null).statusCode()).as(path).isEqualTo(200);
            assertThat(AccessFixtures.send("GET", fx.fhir(path), nurse, null).statusCode())
                    .as(path + " is about the patient, not open to the institution").isEqualTo(404);
        }
        HttpResponse<String> unknown = AccessFixtures.send("POST", fx.fhir("Observation"), jansen, noteAbout(
                "{\"identifier\":{\"system\":\"" + MRN + "\",\"value\":\"" + UUID.randomUUID() + "\"}}"));
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.body()).contains("EHR-0402");
        HttpResponse<String> nobody = AccessFixtures.send("POST", fx.fhir("Observation"), jansen,
                noteAbout("{\"display\":\"someone\"}"));
        assertThat(nobody.statusCode()).as(nobody.body()).isEqualTo(400);
        assertThat(nobody.body()).contains("EHR-0407");
    }

    @Test
    void thePatientSeesTimelineViewsInWhoAccessedMyRecord() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String before = java.time.Instant.now().minusSeconds(60).toString();
        String patient = fx.patient(jansen, "person-anna");
        fx.observation(jansen, patient);
        assertThat(AccessFixtures.send("GET", fx.api("patients/" + patient + "/timeline"), jansen, null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> log = AccessFixtures.send("GET", fx.api("me/access-log?who=jansen&from="
                + AccessFixtures.enc(before)), AccessFixtures.token("patient.anna"), null);
        assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
        assertThat(log.body()).contains("Viewed your timeline");
    }

    // ---- helpers ----

    /** An Observation with a time, so that it appears on the timeline. */
    private void dated(String token, String patient) throws Exception {
        expect(201, AccessFixtures.send("POST", fx.fhir("Observation"), token, "{\"resourceType\":\"Observation\","
                + "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
                + "\"8867-4\"}]},\"effectiveDateTime\":\"2026-01-01T10:00:00+01:00\",\"subject\":{\"reference\":"
                + "\"Patient/" + patient + "\"}}"));
    }

    private static String noteAbout(String subject) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"note\"},"
                + "\"subject\":" + subject + "}";
    }

    private HttpResponse<String> conditionalCreate(String token, String mrn) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        fx.fhir("Patient")))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + token).header("If-None-Exist", "identifier=" + MRN + "|" + mrn)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(patient(mrn, "Probe"))).build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> transaction(String token, String subject) throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + note(subject) + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        return AccessFixtures.send("POST", fx.fhir(""), token, bundle);
    }

    /** Same status, and the same body once each request's own id is taken out. */
    private static void assertSameAnswer(HttpResponse<String> hidden, HttpResponse<String> none, String hiddenId,
                                         String noneId, int status) {
        assertThat(hidden.statusCode()).as(hidden.body()).isEqualTo(status);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(status);
        assertThat(hidden.body().replace(hiddenId, "ID")).isEqualTo(none.body().replace(noneId, "ID"));
    }

    private static String patient(String mrn, String family) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"" + mrn
                + "\"}],\"name\":[{\"family\":\"" + family + "\"}]}";
    }

    private static String note(String subject) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"note\"},"
                + "\"subject\":{\"reference\":\"" + subject + "\"}}";
    }

    private static String withId(String id, String resource) {
        return resource.replace("{\"resourceType\"", "{\"id\":\"" + id + "\",\"resourceType\"");
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r;
    }

    private static List<String> holders(String type, String id) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = AccessFixtures.app(); PreparedStatement s = c.prepareStatement(
                "SELECT custodian_id FROM meridian_record_holders(?, ?)")) {
            s.setString(1, type);
            s.setString(2, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The caller's audit events of one interaction about one person, as custodian:outcome. */
    private static List<String> auditAbout(String username, String interaction, String person) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement("SELECT custodian_id,"
                + " outcome FROM audit_event WHERE username = ? AND interaction = ? AND person_id = ? ORDER BY seq")) {
            s.setString(1, username);
            s.setString(2, interaction);
            s.setString(3, person);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        return rows;
    }
}
