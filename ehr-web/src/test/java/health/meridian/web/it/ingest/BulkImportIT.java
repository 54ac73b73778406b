package health.meridian.web.it.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
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
 * FHIR Bulk Data {@code $import} (issue #22): ndjson inputs from the import directory or uploaded, an asynchronous job
 * (202 + Content-Location, X-Progress while loading, a manifest), strict parsing with refused lines in the error
 * file by line number, the background validation's quarantine tag, a run that dies after committing some chunks
 * resumed without loss or duplicate, the write decision of the API (no import without write rights) and the
 * caller's institution only.
 */
@ExtendWith(ArquillianExtension.class)
class BulkImportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private String app() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        return app;
    }

    private static Path importDir() throws Exception {
        Path dir = Path.of(System.getProperty("meridian.test.import.dir"));
        Files.createDirectories(dir);
        return dir;
    }

    private static String patient(String id, String family) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"" + family
                + "\",\"given\":[\"Ada\"]}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}";
    }

    private static String observation(String id, String patientRef, int kg) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\",\"display\":\"Body weight\"}]},"
                + "\"subject\":{\"reference\":\"" + patientRef + "\"},\"effectiveDateTime\":\"2020-01-0"
                + (1 + kg % 9) + "T10:00:00Z\",\"valueQuantity\":{\"value\":" + kg + ",\"unit\":\"kg\","
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}";
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Where the server keeps a line's resource: ids derived from the job and the source id. */
    private static String idOf(String job, String type, String sourceId) {
        return UUID.nameUUIDFromBytes((job + "|" + type + "|" + sourceId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static String parameters(String... typeAndUrl) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"inputFormat\","
                + "\"valueCode\":\"application/fhir+ndjson\"}");
        for (int i = 0; i < typeAndUrl.length; i += 2) {
            b.append(",{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueCode\":\"").append(typeAndUrl[i])
                    .append("\"},{\"name\":\"url\",\"valueUri\":\"").append(typeAndUrl[i + 1]).append("\"}]}");
        }
        return b.append("]}").toString();
    }

    private static HttpResponse<String> startImport(String app, String token, String query, String contentType,
                                                    String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/fhir/$import" + query))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .header("Prefer", "respond-async").header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String jobOf(HttpResponse<String> accepted) {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Content-Location").orElseThrow();
        assertThat(location).contains("/fhir/$import-poll-status?_jobId=");
        return location.substring(location.indexOf("_jobId=") + 7);
    }

    /** Polls until the background validation is complete; returns the manifest; checks 202s carried progress. */
    private static JsonNode awaitComplete(String app, String token, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = TestStack.get(app + "/fhir/$import-poll-status?_jobId=" + job, token);
            if (r.statusCode() == 202) {
                assertThat(r.headers().firstValue("X-Progress")).isPresent();
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode manifest = JSON.readTree(r.body());
                if ("complete".equals(manifest.path("extension").elements().next().path("status").asText())) {
                    return manifest;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("import job " + job + " did not complete");
    }

    private static List<JsonNode> ndjson(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static long count(String tenant, String sql, String... params) throws Exception {
        try (Connection c = TestStack.ownerConnection()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
                bind.setString(1, tenant);
                bind.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    @Test
    void filesOfTheImportDirectoryLoadWithRefusedLinesInTheErrorFileAndQuarantinedResourcesFlagged() throws Exception {
        String app = app();
        String token = TestStack.token("dr.jansen");
        String run = unique("b");
        Path dir = importDir().resolve(run);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Patient.ndjson"), patient("p1", "Bulkova" + run) + "\n"
                + patient("p2", "Bulkova" + run) + "\n");
        List<String> obs = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            obs.add(observation("o" + i, i % 2 == 0 ? "Patient/p2" : "Patient/p1", 60 + i));
        }
        obs.set(6, obs.get(6).replace("\"status\":\"final\",", "\"status\":\"final\",\"colour\":\"blue\","));
        obs.set(19, obs.get(19).replace("2020-01-0", "yesterday-"));
        obs.set(29, observation("o30", "Patient/nobody-" + run, 90));
        obs.set(34, "{\"resourceType\":\"Observation\",\"id\":\"q1\",\"subject\":{\"reference\":\"Patient/p1\"}}");
        Files.writeString(dir.resolve("Observation.ndjson"), String.join("\n", obs) + "\n");

        String job = jobOf(startImport(app, token, "", "application/fhir+json",
                parameters("Observation", run + "/Observation.ndjson", "Patient", run + "/Patient.ndjson")));
        JsonNode manifest = awaitComplete(app, token, job);

        assertThat(manifest.path("output")).hasSize(2);
        assertThat(manifest.path("output").get(0).path("type").asText()).as("Patients first").isEqualTo("Patient");
        assertThat(manifest.path("output").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(manifest.path("output").get(1).path("count").asLong()).as("40 lines, 3 refused").isEqualTo(37);
        HttpResponse<String> errors = TestStack.get(manifest.path("error").get(0).path("url").asText(), token);
        List<JsonNode> refused = ndjson(errors.body());
        assertThat(refused).extracting(o -> o.path("issue").get(0).path("expression").get(0).asText())
                .containsExactly("line 7", "line 20", "line 30");
        assertThat(refused).allSatisfy(o -> assertThat(o.path("issue").get(0).path("location").get(0).asText())
                .startsWith(run + "/Observation.ndjson:"));
        assertThat(refused.get(0).path("issue").get(0).path("diagnostics").asText()).startsWith("EHR-1010")
                .contains("colour");
        assertThat(refused.get(1).path("issue").get(0).path("diagnostics").asText()).startsWith("EHR-1010");
        assertThat(refused.get(2).path("issue").get(0).path("diagnostics").asText())
                .startsWith("EHR-1012 unknown reference Patient/nobody-" + run);

        assertThat(count("nl-amstel", "SELECT count(*) FROM resource_head WHERE resource_type = 'Observation'"
                + " AND resource_id = ANY (CAST(? AS text[]))", ids(job, "Observation", 40)))
                .as("every accepted line stored once, nothing else of the job lost").isEqualTo(37);
        String quarantined = idOf(job, "Observation", "q1");
        HttpResponse<String> read = TestStack.get(app + "/fhir/Observation/" + quarantined, token);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(tags(JSON.readTree(read.body()))).contains("urn:meridian:quarantine|structure-invalid");
        assertThat(tags(JSON.readTree(TestStack.get(app + "/fhir/Observation/" + idOf(job, "Observation", "o1"),
                token).body()))).doesNotContain("urn:meridian:quarantine|structure-invalid");
        List<JsonNode> report = ndjson(TestStack.get(manifest.path("extension").elements().next().path("url")
                .asText(), token).body());
        assertThat(report).singleElement().satisfies(o -> assertThat(o.path("issue").get(0).path("expression")
                .get(0).asText()).isEqualTo("line 35"));
        assertThat(manifest.path("extension").elements().next().path("quarantined").asLong()).isEqualTo(1);

        JsonNode search = awaitSearch(app, token, "/fhir/Observation?subject=Patient/" + idOf(job, "Patient", "p1")
                + "&_count=100", 19, s -> s.path("entry").findValues("tag").stream().anyMatch(t -> t.toString()
                .contains("structure-invalid")));
        assertThat(search.path("total").asInt()).isEqualTo(19);
        assertThat(search.path("entry")).anySatisfy(e -> assertThat(tags(e.path("resource")))
                .contains("urn:meridian:quarantine|structure-invalid"));

        assertThat(count("nl-amstel", "SELECT count(*) FROM audit_event WHERE interaction = 'bulk-import'"
                + " AND detail LIKE ? AND person_id IS NOT NULL", "%" + job + "%"))
                .as("one audit event per patient written about").isEqualTo(2);
        assertThat(count("nl-amstel", "SELECT count(*) FROM audit_event WHERE interaction = 'bulk-import'"
                + " AND resource_id = ?", job)).as("one event for the job").isEqualTo(1);
    }

    @Test
    void aRunThatDiesAfterCommittingSomeChunksIsResumedWithoutLossOrDuplicate() throws Exception {
        String app = app();
        String token = TestStack.token("dr.jansen");
        String run = unique("k");
        Path dir = importDir().resolve(run);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Patient.ndjson"), patient("p1", "Crashova" + run) + "\n");
        StringBuilder obs = new StringBuilder();
        for (int i = 1; i <= 150; i++) {
            obs.append(observation("o" + i, "Patient/p1", 50 + i % 40)).append('\n');
        }
        Files.writeString(dir.resolve("Observation.ndjson"), obs.toString());
        // the run dies (no rollback of what committed, its lease kept) after 3 chunks of 25 lines: the Patient chunk
        // and 2 Observation chunks; the worker takes the job over when the 4-second lease has expired
        String job = jobOf(startImport(app, token, "?_crashAfterChunks=3", "application/fhir+json",
                parameters("Patient", run + "/Patient.ndjson", "Observation", run + "/Observation.ndjson")));
        JsonNode manifest = awaitComplete(app, token, job);

        assertThat(manifest.path("output").get(1).path("count").asLong()).isEqualTo(150);
        assertThat(manifest.path("error").get(0).path("count").asLong()).isZero();
        assertThat(count("nl-amstel", "SELECT runs FROM import_job WHERE id = CAST(? AS uuid)", job))
                .as("the job was taken over after the crash").isGreaterThanOrEqualTo(2);
        assertThat(count("nl-amstel", "SELECT count(*) FROM resource_version WHERE resource_type = 'Observation'"
                + " AND resource_id = ANY (CAST(? AS text[]))", ids(job, "Observation", 150)))
                .as("no line lost, none stored twice").isEqualTo(150);
        assertThat(count("nl-amstel", "SELECT count(*) FROM resource_version WHERE resource_type = 'Observation'"
                + " AND patient_ref = ?", "Patient/" + idOf(job, "Patient", "p1"))).isEqualTo(150);
        JsonNode search = awaitSearch(app, token, "/fhir/Observation?subject=Patient/" + idOf(job, "Patient", "p1")
                + "&_summary=count", 150, s -> true);
        assertThat(search.path("total").asInt()).as("the mirror converges").isEqualTo(150);
    }

    /**
     * A real crash (issue #22): the instance loading a job is killed with SIGKILL in the middle — no rollback hook, no
     * lease released — and the test's own instance takes the job over once the lease has expired. Every line is
     * stored exactly once, the manifest counts them all, and the mirror converges on the survivor.
     */
    @Test
    void anInstanceKilledMidImportLeavesAJobTheOtherInstanceFinishesWithoutLossOrDuplicate() throws Exception {
        String app = app();
        String token = TestStack.token("dr.jansen");
        int lines = 3000;
        try (health.meridian.web.it.AppInstance doomed = health.meridian.web.it.AppInstance.start(base, "doomed",
                java.util.Map.of())) {
            String job = null;
            String run = null;
            for (int attempt = 0; attempt < 5 && job == null; attempt++) {
                run = unique("kill");
                Path dir = importDir().resolve(run);
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("Patient.ndjson"), patient("p1", "Killova" + run) + "\n");
                StringBuilder obs = new StringBuilder();
                for (int i = 1; i <= lines; i++) {
                    obs.append(observation("o" + i, "Patient/p1", 50 + i % 40)).append('\n');
                }
                Files.writeString(dir.resolve("Observation.ndjson"), obs.toString());
                String candidate = jobOf(startImport(doomed.app(), token, "", "application/fhir+json",
                        parameters("Patient", run + "/Patient.ndjson", "Observation", run + "/Observation.ndjson")));
                String owner = awaitLeaseOwner(candidate, o -> true);
                if (owner.startsWith("doomed-")) {
                    job = candidate;
                } else { // the test's instance won the lease: not the crash this test is about; try again
                    HTTP.send(HttpRequest.newBuilder(URI.create(app + "/fhir/$import-poll-status?_jobId="
                            + candidate)).header("Authorization", "Bearer " + token).DELETE().build(),
                            HttpResponse.BodyHandlers.ofString());
                }
            }
            assertThat(job).as("the instance that accepted a job leases it first").isNotNull();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline && (committed = count("nl-amstel", "SELECT committed FROM import_job"
                    + " WHERE id = CAST(? AS uuid)", job)) < 200) {
                Thread.sleep(50);
            }
            assertThat(committed).as("some chunks committed before the crash").isBetween(200L, lines - 200L);
            doomed.kill();
            long atCrash = count("nl-amstel", "SELECT committed FROM import_job WHERE id = CAST(? AS uuid)", job);
            assertThat(atCrash).as("the job was in the middle when its instance died").isLessThan(lines + 1L);
            assertThat(awaitLeaseOwner(job, o -> !o.startsWith("doomed-"))).as("taken over by the survivor")
                    .isNotNull();

            JsonNode manifest = awaitComplete(app, token, job);
            assertThat(manifest.path("output").get(1).path("count").asLong()).isEqualTo(lines);
            assertThat(manifest.path("error").get(0).path("count").asLong()).isZero();
            assertThat(count("nl-amstel", "SELECT runs FROM import_job WHERE id = CAST(? AS uuid)", job))
                    .as("taken over after the crash").isGreaterThanOrEqualTo(2);
            String patient = "Patient/" + idOf(job, "Patient", "p1");
            assertThat(count("nl-amstel", "SELECT count(*) FROM resource_version WHERE resource_type = 'Observation'"
                    + " AND patient_ref = ?", patient)).as("no line lost, none stored twice").isEqualTo(lines);
            assertThat(count("nl-amstel", "SELECT count(DISTINCT resource_id) FROM resource_version"
                    + " WHERE resource_type = 'Observation' AND patient_ref = ?", patient)).isEqualTo(lines);
            JsonNode search = awaitSearch(app, token, "/fhir/Observation?subject=" + patient + "&_summary=count",
                    lines, s -> true);
            assertThat(search.path("total").asInt()).as("the mirror converges").isEqualTo(lines);
        }
    }

    /** Waits until an instance whose lease owner {@code matches} holds the job's lease; returns that owner. */
    private static String awaitLeaseOwner(String job, java.util.function.Predicate<String> matches) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (Connection c = TestStack.ownerConnection()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', 'nl-amstel', false)")) {
                bind.execute();
            }
            while (System.nanoTime() < deadline) {
                try (PreparedStatement ps = c.prepareStatement("SELECT lease_owner FROM import_job"
                        + " WHERE id = CAST(? AS uuid) AND lease_owner IS NOT NULL")) {
                    ps.setString(1, job);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && matches.test(rs.getString(1))) {
                            return rs.getString(1);
                        }
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no instance leased import job " + job);
    }

    @Test
    void aCancelledJobKeepsItsWholeChunksStopsAndAuditsItsPersons() throws Exception {
        String app = app();
        String token = TestStack.token("dr.jansen");
        String run = unique("x");
        Path dir = importDir().resolve(run);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Patient.ndjson"), patient("p1", "Cancelova" + run) + "\n");
        StringBuilder obs = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            obs.append(observation("o" + i, "Patient/p1", 50 + i % 40)).append('\n');
        }
        Files.writeString(dir.resolve("Observation.ndjson"), obs.toString());
        // the run stops (keeping its lease, as a running job holds it) after the Patient chunk and one Observation
        // chunk of 25 lines: the job is mid-load when it is cancelled
        String job = jobOf(startImport(app, token, "?_crashAfterChunks=2", "application/fhir+json",
                parameters("Patient", run + "/Patient.ndjson", "Observation", run + "/Observation.ndjson")));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (count("nl-amstel", "SELECT committed FROM import_job WHERE id = CAST(? AS uuid)", job) < 26
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String status = app + "/fhir/$import-poll-status?_jobId=" + job;
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(status)).header("Authorization",
                "Bearer " + TestStack.token("dr.mueller")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as("another institution's job is unknown").isEqualTo(404);
        HttpResponse<String> cancelled = HTTP.send(HttpRequest.newBuilder(URI.create(status)).header("Authorization",
                "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(cancelled.body()).contains("EHR-1041");
        HttpResponse<String> after = TestStack.get(status, token);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).contains("EHR-1041").contains("26 resources stored");

        Thread.sleep(6000); // longer than the 4-second lease: a job still active would have been taken over by now
        assertThat(count("nl-amstel", "SELECT count(*) FROM import_job WHERE id = CAST(? AS uuid)"
                + " AND status = 'cancelled' AND runs = 1", job)).as("not resumed").isEqualTo(1);
        assertThat(count("nl-amstel", "SELECT count(*) FROM resource_version WHERE resource_type = 'Observation'"
                + " AND patient_ref = ?", "Patient/" + idOf(job, "Patient", "p1")))
                .as("the committed chunk stays whole, nothing after it").isEqualTo(25);
        assertThat(count("nl-amstel", "SELECT count(*) FROM audit_event WHERE interaction = 'bulk-import'"
                + " AND detail LIKE ? AND person_id IS NOT NULL", "%" + job + "%"))
                .as("the person written about is audited once").isEqualTo(1);
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(status)).header("Authorization",
                "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.body()).contains("EHR-1042");
    }

    @Test
    void anUploadedNdjsonBodyIsImportedAndAMalformedLineLandsInTheErrorFile() throws Exception {
        String app = app();
        String token = TestStack.token("dr.jansen");
        String run = unique("u");
        String body = patient("a", "Uploadova" + run) + "\n{\"resourceType\":\"Patient\",\"id\":\"b\",\"birthDate\":"
                + "\"not-a-date\"}\n" + patient("c", "Uploadova" + run) + "\n";
        String job = jobOf(startImport(app, token, "?_type=Patient", "application/fhir+ndjson", body));
        JsonNode manifest = awaitComplete(app, token, job);
        assertThat(manifest.path("output").get(0).path("count").asLong()).isEqualTo(2);
        List<JsonNode> refused = ndjson(TestStack.get(manifest.path("error").get(0).path("url").asText(), token)
                .body());
        assertThat(refused).singleElement().satisfies(o -> {
            assertThat(o.path("issue").get(0).path("expression").get(0).asText()).isEqualTo("line 2");
            assertThat(o.path("issue").get(0).path("location").get(0).asText()).isEqualTo("upload:2");
        });
        assertThat(TestStack.get(app + "/fhir/Patient/" + idOf(job, "Patient", "c"), token).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aCallerWithoutWriteRightsCannotStartAnImport() throws Exception {
        String app = app();
        long jobsBefore = count("nl-amstel", "SELECT count(*) FROM import_job");
        for (String user : List.of("researcher.lee", "patient.anna", "platform.admin")) {
            HttpResponse<String> r = startImport(app, TestStack.token(user), "?_type=Patient",
                    "application/fhir+ndjson", patient("x", "Refusova") + "\n");
            assertThat(r.statusCode()).as(user + ": " + r.body()).isEqualTo(403);
        }
        HttpResponse<String> admin = startImport(app, TestStack.token("admin.amstel"), "?_type=Observation",
                "application/fhir+ndjson", observation("x", "Patient/x", 1) + "\n");
        assertThat(admin.statusCode()).as("a tenant admin registers Patients only: " + admin.body()).isEqualTo(403);
        assertThat(admin.body()).contains("EHR-0302");
        assertThat(count("nl-amstel", "SELECT count(*) FROM import_job")).isEqualTo(jobsBefore);
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(app + "/fhir/$import?_type=Patient"))
                .header("Content-Type", "application/fhir+ndjson").POST(HttpRequest.BodyPublishers.ofString(
                        patient("x", "Anonymova") + "\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void anImportWritesIntoTheCallersInstitutionOnly() throws Exception {
        String app = app();
        String amstel = TestStack.token("dr.jansen");
        String spree = TestStack.token("dr.mueller");
        String run = unique("t");
        String amstelJob = jobOf(startImport(app, amstel, "?_type=Patient", "application/fhir+ndjson",
                patient("p", "Amstelova" + run) + "\n"));
        awaitComplete(app, amstel, amstelJob);
        String amstelPatient = idOf(amstelJob, "Patient", "p");

        // de-spree's import refers to nl-amstel's patient: unknown there, refused like any unknown reference
        String spreeJob = jobOf(startImport(app, spree, "?_type=Observation&tenant=nl-amstel",
                "application/fhir+ndjson", observation("o", "Patient/" + amstelPatient, 70) + "\n"));
        JsonNode manifest = awaitComplete(app, spree, spreeJob);
        assertThat(manifest.path("output").get(0).path("count").asLong()).isZero();
        assertThat(ndjson(TestStack.get(manifest.path("error").get(0).path("url").asText(), spree).body()))
                .singleElement().satisfies(o -> assertThat(o.path("issue").get(0).path("diagnostics").asText())
                        .startsWith("EHR-1012"));
        assertThat(count("nl-amstel", "SELECT count(*) FROM resource_head WHERE resource_id = ?",
                idOf(spreeJob, "Observation", "o"))).isZero();
        assertThat(count("de-spree", "SELECT count(*) FROM import_job WHERE id = CAST(? AS uuid)", spreeJob))
                .as("the job belongs to the caller's institution").isEqualTo(1);
        assertThat(TestStack.get(app + "/fhir/$import-poll-status?_jobId=" + amstelJob, spree).statusCode())
                .as("another institution's job is unknown").isEqualTo(404);
        assertThat(TestStack.get(app + "/fhir/$import-errors?_jobId=" + amstelJob, spree).statusCode())
                .isEqualTo(404);

        String spreePatientJob = jobOf(startImport(app, spree, "?_type=Patient", "application/fhir+ndjson",
                patient("p", "Spreeova" + run) + "\n"));
        awaitComplete(app, spree, spreePatientJob);
        assertThat(count("de-spree", "SELECT count(*) FROM resource_head WHERE resource_id = ?",
                idOf(spreePatientJob, "Patient", "p"))).isEqualTo(1);
        assertThat(count("nl-amstel", "SELECT count(*) FROM resource_head WHERE resource_id = ?",
                idOf(spreePatientJob, "Patient", "p"))).isZero();
        assertThat(TestStack.get(app + "/fhir/Patient/" + idOf(spreePatientJob, "Patient", "p"), amstel)
                .statusCode()).isEqualTo(404);
    }

    private static String ids(String job, String type, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(idOf(job, type, "o" + i));
        }
        ids.add(idOf(job, type, "q1"));
        return "{" + String.join(",", ids) + "}";
    }

    private static List<String> tags(JsonNode resource) {
        List<String> out = new ArrayList<>();
        resource.path("meta").path("tag").forEach(t -> out.add(t.path("system").asText() + "|"
                + t.path("code").asText()));
        return out;
    }

    private static JsonNode awaitSearch(String app, String token, String query, int atLeast,
                                        java.util.function.Predicate<JsonNode> and) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = TestStack.get(app + query, token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            last = JSON.readTree(r.body());
            if (last.path("total").asInt() >= atLeast && and.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        return last;
    }
}
