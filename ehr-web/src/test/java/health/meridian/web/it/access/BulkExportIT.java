package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FHIR Bulk Data {@code $export} (issue #23, ADR 0026): kick-off (202 + Content-Location), polling (202 X-Progress,
 * then the manifest), downloads whose lines are the manifest's counts (a type split over files of two resources),
 * a {@code Group/[id]/$export} of a saved cohort that carries exactly what the seam lets the exporter read — a
 * revoked grant's and a sensitive label's records left out — audited per person, cancellation, expiry, and the
 * {@code _typeFilter} (narrows, ORed, never widens), and the
 * refusals: another user's or institution's job 404, no {@code Prefer: respond-async}, a bad {@code _type} or
 * format 400, roles that read no clinical content 403.
 */
@ExtendWith(ArquillianExtension.class)
class BulkExportIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx() throws Exception {
        AccessFixtures fx = new AccessFixtures(TestStack.app(base));
        fx.ensureTenants();
        return fx;
    }

    /** One person of the cohort, registered at both institutions, and what an export by dr.jansen must hold. */
    private record Member(String person, Set<String> expected, Set<String> withheld) {
    }

    @Test
    void groupExportCarriesExactlyWhatTheSeamLetsTheExporterRead() throws Exception {
        AccessFixtures fx = fx();
        String jansen = AccessFixtures.token("dr.jansen");
        String code = "it-export-" + UUID.randomUUID().toString().substring(0, 8);
        Member granted = member(fx, jansen, code, false);
        Member revoked = member(fx, jansen, code, true);
        awaitMirror(TestStack.app(base));
        String group = saveCohort(code);

        String status = kickOff(fx.fhir("Group/" + group + "/$export"), jansen);
        JsonNode manifest = poll(status, jansen);
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.path("transactionTime").asText()).isNotBlank();
        assertThat(manifest.path("request").asText()).contains("Group/" + group + "/$export");

        Set<String> exported = new HashSet<>();
        List<String> patientFiles = new ArrayList<>();
        for (JsonNode out : manifest.path("output")) {
            HttpResponse<String> file = get(out.path("url").asText(), jansen);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElse("")).contains("ndjson");
            List<String> lines = file.body().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(out.toString()).hasSize(out.path("count").asInt());
            assertThat(lines.size()).isLessThanOrEqualTo(2);
            for (String line : lines) {
                JsonNode r = JSON.readTree(line);
                assertThat(r.path("resourceType").asText()).isEqualTo(out.path("type").asText());
                exported.add(r.path("resourceType").asText() + "/" + r.path("id").asText());
            }
            if ("Patient".equals(out.path("type").asText())) {
                patientFiles.add(out.path("url").asText());
            }
        }
        Set<String> expected = new HashSet<>(granted.expected());
        expected.addAll(revoked.expected());
        assertThat(exported).isEqualTo(expected);
        assertThat(exported).doesNotContainAnyElementsOf(granted.withheld()).doesNotContainAnyElementsOf(
                revoked.withheld());
        assertThat(patientFiles).as("three Patients in files of two").hasSize(2);

        assertThat(exportAudits(granted.person())).isEqualTo(2); // one per custodian of the person: Amstel, Spree
        assertThat(exportAudits(revoked.person())).isEqualTo(1); // the revoked grant's institution disclosed nothing

        String aFile = manifest.path("output").get(0).path("url").asText();
        assertThat(get(status, AccessFixtures.token("dr.mueller")).statusCode()).as("another institution").isEqualTo(404);
        assertThat(get(aFile, AccessFixtures.token("dr.mueller")).statusCode()).isEqualTo(404);
        assertThat(get(status, AccessFixtures.token("nurse.visser")).statusCode()).as("another user").isEqualTo(404);
        assertThat(get(aFile, AccessFixtures.token("nurse.visser")).statusCode()).isEqualTo(404);
        assertThat(get(aFile, null).statusCode()).isEqualTo(401);

        expire(status);
        assertThat(get(status, jansen).statusCode()).as("expired").isEqualTo(404);
        assertThat(get(aFile, jansen).statusCode()).isEqualTo(404);
    }

    @Test
    void aPatientExportsTheirOwnRecordAndNothingWider() throws Exception {
        AccessFixtures fx = fx();
        String anna = AccessFixtures.token("patient.anna");
        String status = kickOff(fx.fhir("Patient/$export?_type=Patient,Observation"), anna);
        JsonNode manifest = poll(status, anna);
        for (JsonNode out : manifest.path("output")) {
            assertThat(List.of("Patient", "Observation")).contains(out.path("type").asText());
            assertThat(get(out.path("url").asText(), anna).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> system = kickOffResponse(fx.fhir("$export"), anna, "respond-async");
        assertThat(system.statusCode()).isEqualTo(403);
        assertThat(system.body()).contains("EHR-1133");
        HttpResponse<String> admin = kickOffResponse(fx.fhir("$export"), AccessFixtures.token("admin.amstel"),
                "respond-async");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.body()).contains("EHR-1134");
        assertThat(get(status, AccessFixtures.token("patient.bram")).statusCode()).as("another patient")
                .isEqualTo(404);
    }

    @Test
    void badKickOffsAreOperationOutcomesAndCancelledJobsAreGone() throws Exception {
        AccessFixtures fx = fx();
        String jansen = AccessFixtures.token("dr.jansen");
        HttpResponse<String> noPrefer = kickOffResponse(fx.fhir("Patient/$export"), jansen, null);
        assertThat(noPrefer.statusCode()).isEqualTo(400);
        assertThat(noPrefer.body()).contains("OperationOutcome").contains("EHR-1130");
        HttpResponse<String> badType = kickOffResponse(fx.fhir("$export?_type=Patient,NoSuchThing"), jansen,
                "respond-async");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.body()).contains("OperationOutcome").contains("EHR-1132");
        HttpResponse<String> badFormat = kickOffResponse(fx.fhir("$export?_outputFormat=text%2Fcsv"), jansen,
                "respond-async");
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(badFormat.body()).contains("EHR-1131");
        JsonNode metadata = JSON.readTree(get(fx.fhir("metadata"), jansen).body());
        assertThat(metadata.path("instantiates").toString()).contains("bulkdata/CapabilityStatement/bulk-data");
        assertThat(metadata.path("rest").get(0).path("operation").toString())
                .contains("\"name\":\"export\"").contains("bulkdata/OperationDefinition/export");
        assertThat(metadata.toString()).contains("bulkdata/OperationDefinition/group-export")
                .contains("bulkdata/OperationDefinition/patient-export");
        HttpResponse<String> noGroup = kickOffResponse(fx.fhir("Group/no-such-cohort/$export"), jansen,
                "respond-async");
        assertThat(noGroup.statusCode()).isEqualTo(404);

        String status = kickOff(fx.fhir("$export?_outputFormat=application%2Ffhir%2Bndjson&_type=Patient"), jansen);
        assertThat(AccessFixtures.send("DELETE", status, AccessFixtures.token("dr.mueller"), null).statusCode())
                .as("another institution cannot cancel").isEqualTo(404);
        assertThat(AccessFixtures.send("DELETE", status, jansen, null).statusCode()).isEqualTo(202);
        assertThat(get(status, jansen).statusCode()).isEqualTo(404);
        assertThat(AccessFixtures.send("DELETE", status, jansen, null).statusCode()).isEqualTo(404);
    }

    /**
     * {@code _typeFilter} (Bulk Data v2): a filtered type carries only what its search finds, the other types asked
     * are whole, two filters of one type are ORed; a filter is the FHIR search under the exporter's access, so it
     * never widens — a record withheld by a sensitivity label or a revoked grant stays out although it matches, and
     * a filter naming a patient outside the exporter's scope finds nothing. Malformed filters, a type outside
     * {@code _type} and a parameter the search cannot apply are 400 OperationOutcomes at kick-off.
     */
    @Test
    void typeFiltersNarrowAnExportAndNeverWidenIt() throws Exception {
        AccessFixtures fx = fx();
        String jansen = AccessFixtures.token("dr.jansen");
        String mueller = AccessFixtures.token("dr.mueller");
        String code = "it-filter-" + UUID.randomUUID().toString().substring(0, 8);
        String person = AccessFixtures.newPerson();
        String spreePatient = fx.patient(mueller, person);
        String spreeSystolic = observation(fx, mueller, spreePatient, SYSTOLIC, false);
        String spreeSensitive = observation(fx, mueller, spreePatient, SYSTOLIC, true);
        AccessFixtures.consent(person, "nl-amstel");
        String amstelPatient = fx.patient(jansen, person);
        String condition = condition(fx, jansen, amstelPatient, code);
        String systolic = observation(fx, jansen, amstelPatient, SYSTOLIC, false);
        String diastolic = observation(fx, jansen, amstelPatient, DIASTOLIC, false);
        String heartRate = observation(fx, jansen, amstelPatient, "8867-4", false);
        Member revoked = member(fx, jansen, code, true);
        String revokedSystolic = observation(fx, mueller, revoked.withheld().stream()
                .filter(r -> r.startsWith("Patient/")).findFirst().orElseThrow().substring(8), SYSTOLIC, false);
        String outsider = fx.patient(mueller, AccessFixtures.newPerson());
        String outsiderSystolic = observation(fx, mueller, outsider, SYSTOLIC, false);
        awaitMirror(TestStack.app(base));
        String group = fx.fhir("Group/" + saveCohort(code) + "/$export?_type=Patient,Condition,Observation");

        Set<String> one = exported(kickOff(group + filter("Observation?code=http://loinc.org|" + SYSTOLIC), jansen),
                jansen);
        assertThat(one).contains("Observation/" + systolic, "Observation/" + spreeSystolic, "Condition/" + condition,
                "Patient/" + amstelPatient, "Patient/" + spreePatient)
                .doesNotContain("Observation/" + diastolic, "Observation/" + heartRate)
                .as("withheld although it matches").doesNotContain("Observation/" + spreeSensitive,
                        "Observation/" + revokedSystolic, "Observation/" + outsiderSystolic);
        assertThat(one.stream().filter(r -> r.startsWith("Observation/"))).hasSize(2);

        Set<String> two = exported(kickOff(group + filter("Observation?code=http://loinc.org|" + SYSTOLIC)
                + filter("Observation?code=http%3A%2F%2Floinc.org%7C" + DIASTOLIC), jansen), jansen);
        assertThat(two.stream().filter(r -> r.startsWith("Observation/"))).containsExactlyInAnyOrder(
                "Observation/" + systolic, "Observation/" + spreeSystolic, "Observation/" + diastolic);

        Set<String> wider = exported(kickOff(group + filter("Observation?patient=Patient/" + outsider), jansen),
                jansen);
        assertThat(wider).as("a filter naming a patient outside the exporter's scope")
                .noneMatch(r -> r.startsWith("Observation/")).contains("Patient/" + amstelPatient)
                .doesNotContain("Patient/" + outsider);

        for (String[] bad : new String[][] {{"Observation", "EHR-1142"}, {"Observation?code", "EHR-1142"},
                {"Encounter?status=finished", "EHR-1143"}, {"Observation?frobnicate=1", "EHR-1144"},
                {"Observation?_sort=date", "EHR-1144"}}) {
            HttpResponse<String> r = kickOffResponse(group + filter(bad[0]), jansen, "respond-async");
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(r.body()).as(bad[0]).contains("OperationOutcome").contains(bad[1]);
        }
    }

    private static final String SYSTOLIC = "8480-6";
    private static final String DIASTOLIC = "8462-4";

    private static String filter(String query) {
        return "&_typeFilter=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The {@code Type/id} of every line of a completed export's files. */
    private static Set<String> exported(String status, String token) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode file : poll(status, token).path("output")) {
            for (String line : get(file.path("url").asText(), token).body().lines().filter(l -> !l.isBlank())
                    .toList()) {
                JsonNode r = JSON.readTree(line);
                out.add(r.path("resourceType").asText() + "/" + r.path("id").asText());
            }
        }
        return out;
    }

    /** An Observation coded LOINC {@code loinc}, labelled PSY when {@code sensitive}. */
    private static String observation(AccessFixtures fx, String token, String patientId, String loinc,
                                      boolean sensitive) throws Exception {
        String security = sensitive ? "\"meta\":{\"security\":[{\"system\":\"" + AccessFixtures.PSY
                + "\",\"code\":\"PSY\"}]}," : "";
        HttpResponse<String> r = AccessFixtures.send("POST", fx.fhir("Observation"), token, "{\"resourceType\":"
                + "\"Observation\"," + security + "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"" + loinc + "\"}]},\"subject\":{\"reference\":\"Patient/"
                + patientId + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return AccessFixtures.idOf(r.body());
    }

    // ---- fixtures

    /**
     * A person first registered at Spree by dr.mueller (an Observation, and one labelled PSY), who grants Amstel
     * access excluding sensitive records; registered at Amstel by dr.jansen (in his care there) with a Condition
     * coded {@code code} that puts them in the cohort. With {@code revoke}, the grant is revoked before the export.
     */
    private Member member(AccessFixtures fx, String jansen, String code, boolean revoke) throws Exception {
        String mueller = AccessFixtures.token("dr.mueller");
        String person = AccessFixtures.newPerson();
        String spreePatient = fx.patient(mueller, person);
        String plain = fx.observation(mueller, spreePatient);
        String psy = fx.observation(mueller, spreePatient, "PSY");
        String grant = AccessFixtures.consent(person, "nl-amstel");
        String amstelPatient = fx.patient(jansen, person);
        String condition = condition(fx, jansen, amstelPatient, code);
        Set<String> expected = new HashSet<>(Set.of("Patient/" + amstelPatient, "Condition/" + condition));
        Set<String> withheld = new HashSet<>(Set.of("Observation/" + psy));
        if (revoke) {
            AccessFixtures.revokeConsent(grant, person);
            withheld.addAll(Set.of("Patient/" + spreePatient, "Observation/" + plain));
        } else {
            expected.addAll(Set.of("Patient/" + spreePatient, "Observation/" + plain));
        }
        return new Member(person, expected, withheld);
    }

    /**
     * SMART Backend Services against the real Keycloak (ADR 0031): Amstel's administrator registers a backend service
     * with the public key of a key pair made here; the service gets tokens by the client credentials grant with a
     * client assertion signed by its private key (private_key_jwt). system/*.rs reads and searches Amstel's records
     * and exports them, never Spree's, and writes nothing; system/Observation.rs reads no Condition; a client assertion
     * signed by another key gets no token; after revocation the token it holds is refused at once (401 EHR-1170) and
     * Keycloak issues it no new one. Every read names the app in the audit trail.
     */
    @Test
    void aRegisteredBackendServiceReadsAndExportsItsInstitutionUntilRevoked() throws Exception {
        AccessFixtures fx = fx();
        String jansen = AccessFixtures.token("dr.jansen");
        String mueller = AccessFixtures.token("dr.mueller");
        String code = "it-backend-" + UUID.randomUUID().toString().substring(0, 8);
        String amstelPatient = fx.patient(jansen, AccessFixtures.newPerson());
        fx.careTeam("nl-amstel", "prac-nl-jansen", "clinician", amstelPatient);
        String amstelCondition = condition(fx, jansen, amstelPatient, code);
        String amstelObservation = fx.observation(jansen, amstelPatient);
        String spreePatient = fx.patient(mueller, AccessFixtures.newPerson());
        fx.careTeam("de-spree", "prac-de-mueller", "clinician", spreePatient);
        String spreeCondition = condition(fx, mueller, spreePatient, code);
        awaitMirror(TestStack.app(base));

        BackendServiceClient registry = new BackendServiceClient("it-registry-" + code.substring(11));
        String admin = AccessFixtures.token("admin.amstel");
        HttpResponse<String> registered = AccessFixtures.send("POST", fx.api("admin/apps"), admin, "{\"clientId\":\""
                + registry.clientId + "\",\"name\":\"Amstel cancer registry\",\"kind\":\"backend\",\"scopes\":"
                + "[\"system/*.rs\",\"system/Observation.rs\"],\"redirectUris\":[],\"jwks\":"
                + JSON.writeValueAsString(registry.jwks()) + "}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(AccessFixtures.send("POST", fx.api("admin/apps"), AccessFixtures.token("dr.jansen"), "{}")
                .statusCode()).as("only an administrator registers apps").isEqualTo(403);

        String all = registry.token("system/*.rs");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(all.split("\\.")[1]));
        assertThat(claims).contains("\"tenant\":\"nl-amstel\"").contains("system/*.rs").contains("backend-service");
        assertThat(get(fx.fhir("Condition/" + amstelCondition), all).statusCode()).isEqualTo(200);
        assertThat(get(fx.fhir("Condition/" + spreeCondition), all).statusCode()).as("another institution")
                .isEqualTo(404);
        HttpResponse<String> search = get(fx.fhir("Condition?code=urn:it:export%7C" + code), all);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(search.body()).contains(amstelCondition).doesNotContain(spreeCondition);
        HttpResponse<String> write = AccessFixtures.send("POST", fx.fhir("Condition"), all, "{\"resourceType\":"
                + "\"Condition\",\"subject\":{\"reference\":\"Patient/" + amstelPatient + "\"}}");
        assertThat(write.statusCode()).as("a backend service writes nothing").isEqualTo(403);
        assertThat(get(fx.api("grants"), all).statusCode()).as("no JSON API use case").isEqualTo(403);

        String observations = registry.token("system/Observation.rs");
        assertThat(get(fx.fhir("Observation/" + amstelObservation), observations).statusCode()).isEqualTo(200);
        assertThat(get(fx.fhir("Condition/" + amstelCondition), observations).statusCode())
                .as("system/Observation.rs cannot read a Condition").isEqualTo(404);
        assertThat(new BackendServiceClient(registry.clientId).tokenResponse("system/*.rs").statusCode())
                .as("a client assertion signed by another key").isIn(400, 401);

        String status = kickOff(fx.fhir("$export?_type=Condition"), all);
        JsonNode manifest = poll(status, all);
        Set<String> exported = new HashSet<>();
        for (JsonNode out : manifest.path("output")) {
            for (String line : get(out.path("url").asText(), all).body().lines().filter(l -> !l.isBlank()).toList()) {
                exported.add(JSON.readTree(line).path("id").asText());
            }
        }
        assertThat(exported).as("the institution's Conditions, not another's").contains(amstelCondition)
                .doesNotContain(spreeCondition);
        assertThat(appAudits(registry.clientId)).as("reads name the app").isGreaterThanOrEqualTo(3);

        HttpResponse<String> revoked = AccessFixtures.send("POST", fx.api("admin/apps/" + registry.clientId
                + "/revoke"), admin, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.body()).contains("\"clientDisabled\":true");
        HttpResponse<String> after = get(fx.fhir("Condition/" + amstelCondition), all);
        assertThat(after.statusCode()).as("the token it holds stops working at once").isEqualTo(401);
        assertThat(after.body()).contains("OperationOutcome").contains("EHR-1170");
        assertThat(registry.tokenResponse("system/*.rs").statusCode()).as("no new token").isIn(400, 401);
        assertThat(AccessFixtures.send("POST", fx.api("admin/apps/" + registry.clientId + "/revoke"), admin, null)
                .statusCode()).as("revoked once").isEqualTo(404);
    }

    private static int appAudits(String clientId) throws Exception {
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM"
                + " audit_event WHERE app_client_id = ? AND action = 'R'")) {
            s.setString(1, clientId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String condition(AccessFixtures fx, String token, String patientId, String code) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("POST", fx.fhir("Condition"), token, "{\"resourceType\":"
                + "\"Condition\",\"code\":{\"coding\":[{\"system\":\"urn:it:export\",\"code\":\"" + code + "\"}]},"
                + "\"onsetDateTime\":\"2020-01-01\",\"subject\":{\"reference\":\"Patient/" + patientId + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return AccessFixtures.idOf(r.body());
    }

    /** A saved cohort of Amstel (its tenant admin) of the persons with the Condition coded {@code code}. */
    private String saveCohort(String code) throws Exception {
        String body = "{\"name\":\"export " + code + "\",\"indexDate\":\"2025-01-01\",\"criteria\":{\"type\":"
                + "\"condition\",\"codes\":[\"urn:it:export|" + code + "\"]}}";
        HttpResponse<String> r = AccessFixtures.send("POST", TestStack.app(base) + "/api/cohorts",
                AccessFixtures.token("admin.amstel"), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static String kickOff(String url, String token) throws Exception {
        HttpResponse<String> r = kickOffResponse(url, token, "respond-async");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r.headers().firstValue("Content-Location").orElseThrow();
    }

    private static HttpResponse<String> kickOffResponse(String url, String token, String prefer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/fhir+json").header("Authorization", "Bearer " + token).GET();
        if (prefer != null) {
            b.header("Prefer", prefer);
        }
        return AccessFixtures.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the status URL until the manifest (X-Progress and Retry-After while it runs). */
    private static JsonNode poll(String status, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(status, token);
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body());
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(r.headers().firstValue("X-Progress")).isPresent();
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            Thread.sleep(300);
        }
        throw new AssertionError("export did not complete: " + status);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return AccessFixtures.send("GET", url, token, null);
    }

    private static int exportAudits(String person) throws Exception {
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM"
                + " audit_event WHERE username = 'dr.jansen' AND interaction = 'bulk-export' AND person_id = ?")) {
            s.setString(1, person);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The job's retention time as passed (the worker deletes it within a second or two). */
    private static void expire(String statusUrl) throws Exception {
        String id = statusUrl.substring(statusUrl.indexOf("_jobId=") + 7);
        try (Connection c = AccessFixtures.owner()) {
            c.createStatement().executeQuery("SELECT set_config('app.scope', 'export-worker', false)").close();
            try (PreparedStatement s = c.prepareStatement("UPDATE export_job SET expires_at = clock_timestamp()"
                    + " - interval '1 second' WHERE id = CAST(? AS uuid)")) {
                s.setString(1, id);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
    }

    /** Until the outbox is empty, then a refresh so that the cohort index has what was written. */
    private static void awaitMirror(String app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (TestStack.outboxDepth(app) == 0) {
                HttpRequest refresh = HttpRequest.newBuilder(URI.create(TestStack.elasticsearch()
                        + "/meridian-records,meridian-persons/_refresh")).POST(HttpRequest.BodyPublishers.noBody())
                        .build();
                AccessFixtures.HTTP.send(refresh, HttpResponse.BodyHandlers.ofString());
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the outbox did not drain");
    }
}
