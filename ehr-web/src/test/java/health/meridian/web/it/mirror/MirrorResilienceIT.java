package health.meridian.web.it.mirror;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mirror never drifts unnoticed: with Elasticsearch stopped, writes keep succeeding, search fails fast with a
 * 503 OperationOutcome and the timeline falls back to PostgreSQL; when Elasticsearch is back the backlog drains and
 * reconciliation shows zero drift; a document removed behind the app's back is found and repaired.
 */
@ExtendWith(ArquillianExtension.class)
class MirrorResilienceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @Test
    void elasticsearchDownThenBackEndsWithZeroDrift() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String token = TestStack.token("dr.jansen");
        String patient = create(app, token, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Mirror\"}]}");
        observation(app, token, patient, "2024-01-01");
        try {
            stack("es-down");
            for (int i = 0; i < 5; i++) {
                observation(app, token, patient, "2024-02-0" + (i + 1));
            }
            long start = System.nanoTime();
            HttpResponse<String> search = TestStack.get(app + "/fhir/Observation?patient=" + patient, token);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(search.statusCode()).as(search.body()).isEqualTo(503);
            assertThat(search.body()).contains("OperationOutcome").contains("EHR-0520");
            assertThat(millis).as("fails fast").isLessThan(1000);
            JsonNode timeline = JSON.readTree(TestStack.get(app + "/api/patients/" + patient + "/timeline", token)
                    .body());
            assertThat(timeline.path("source").asText()).isEqualTo("database");
            assertThat(timeline.path("entries")).hasSize(6);
        } finally {
            stack("es-up");
        }
        waitForEmptyOutbox(app);
        JsonNode report = verify(app, false);
        assertThat(report.path("drift").asLong()).as(report.toString()).isZero();
        assertThat(report.path("inDatabase").asLong()).isEqualTo(report.path("inIndex").asLong());

        deleteDocumentBehindTheAppsBack("nl-amstel/Patient/" + patient);
        assertThat(verify(app, false).path("missing").asLong()).isEqualTo(1);
        // The removal left a delete tombstone in Elasticsearch (kept for index.gc_deletes, 5 s): a re-announced
        // version is refused until it expires, so repair converges within seconds, not at once.
        long drift = -1;
        for (int attempt = 0; attempt < 20 && drift != 0; attempt++) {
            assertThat(verify(app, true).path("repaired").asBoolean()).isTrue();
            waitForEmptyOutbox(app);
            drift = verify(app, false).path("drift").asLong();
            if (drift != 0) {
                Thread.sleep(2000);
            }
        }
        assertThat(drift).as("drift after repair").isZero();
    }

    @Test
    void reindexWhileWritingAndSearchingSwapsTheAliasWithNoDowntimeAndNoDrift() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String token = TestStack.token("dr.jansen");
        String patient = create(app, token, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Reindex\"}]}");
        for (int i = 0; i < 20; i++) {
            observation(app, token, patient, "2023-01-" + String.format("%02d", i + 1));
        }
        waitForEmptyOutbox(app);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<String> searchProblems = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 10; i++) {
                    observation(app, token, patient, "2023-02-" + String.format("%02d", i + 1));
                }
            } catch (Exception e) {
                searchProblems.add("write failed: " + e);
            }
        });
        Thread searcher = new Thread(() -> {
            try {
                while (!done.get()) {
                    HttpResponse<String> r = TestStack.get(app + "/fhir/Observation?patient=" + patient
                            + "&_summary=count", token);
                    searches.incrementAndGet();
                    long total = r.statusCode() == 200 ? JSON.readTree(r.body()).path("total").asLong() : -1;
                    if (total < 20) {
                        searchProblems.add(r.statusCode() + " total " + total);
                    }
                }
            } catch (Exception e) {
                searchProblems.add("search failed: " + e);
            }
        });
        writer.start();
        searcher.start();
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/api/admin/mirror/reindex"))
                .header("Authorization", "Bearer " + TestStack.token("platform.admin"))
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> reindex = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        writer.join();
        done.set(true);
        searcher.join();
        assertThat(reindex.statusCode()).as(reindex.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(reindex.body());
        assertThat(report.path("index").asText()).startsWith("meridian-records-v3-")
                .isNotEqualTo(report.path("previousIndex").asText());
        assertThat(report.path("documents").asLong()).isGreaterThanOrEqualTo(21);
        assertThat(searchProblems).as("every search during the rebuild answered with the data").isEmpty();
        assertThat(searches.get()).isPositive();

        HttpResponse<String> alias = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                System.getProperty("meridian.test.es.url") + "/_alias/meridian-records")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(alias.body()).fieldNames()).toIterable()
                .containsExactly(report.path("index").asText());
        assertThat(report.path("personIndex").asText()).startsWith("meridian-persons-v3-");
        HttpResponse<String> personAlias = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                System.getProperty("meridian.test.es.url") + "/_alias/meridian-persons")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(personAlias.body()).fieldNames()).toIterable()
                .containsExactly(report.path("personIndex").asText());
        waitForEmptyOutbox(app);
        assertThat(verify(app, false).path("drift").asLong()).as("writes made during the rebuild are there").isZero();
        HttpResponse<String> count = TestStack.get(app + "/fhir/Observation?patient=" + patient + "&_summary=count",
                token);
        assertThat(JSON.readTree(count.body()).path("total").asLong()).isEqualTo(30);
    }

    /**
     * ADR 0037: a records index an older release built (mapping v2: the resource in {@code _source}, whose filtering
     * rewrites decimals through a double) is never answered from. With the alias on it (the app started on it, or
     * it was restored) a FHIR search answering resources refuses with 503 EHR-0536 — even though the app had found
     * the alias current before — while writes keep being mirrored into it and the timeline keeps answering; after
     * {@code ./meridian reindex} (from PostgreSQL, mapping v3) the search answers each record exactly as its read.
     */
    @Test
    void anIndexOfTheOlderMappingIsRefusedUntilTheReindexThenSearchAnswersTheReadExactly() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String token = TestStack.token("dr.jansen");
        String patient = create(app, token, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Legacy\"}]}");
        String first = decimalObservation(app, token, patient, "7.10");
        waitForEmptyOutbox(app);
        String search = app + "/fhir/Observation?patient=" + patient;
        assertThat(TestStack.get(search, token).statusCode()).as("the app finds the alias current").isEqualTo(200);
        String legacy = "meridian-records-v2-legacy";
        try {
            olderIndexBehindTheAlias(legacy, "nl-amstel/Patient/" + patient, "nl-amstel/Observation/" + first);

            HttpResponse<String> refused = TestStack.get(search, token);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("OperationOutcome").contains("EHR-0536");
            assertThat(TestStack.get(search, token).body()).as("and stays refused").contains("EHR-0536");
            HttpResponse<String> count = TestStack.get(app + "/fhir/Observation?_id=" + first + "&_count=0", token);
            assertThat(count.statusCode()).as("_count=0 answers no resource: " + count.body()).isEqualTo(200);
            assertThat(JSON.readTree(count.body()).path("total").asInt()).isEqualTo(1);
            HttpResponse<String> timeline = TestStack.get(app + "/api/patients/" + patient + "/timeline", token);
            assertThat(timeline.statusCode()).as("the timeline needs no resource: " + timeline.body()).isEqualTo(200);
            assertThat(JSON.readTree(timeline.body()).path("entries")).hasSize(1);
            String second = decimalObservation(app, token, patient, "0.0000001");
            waitForEmptyOutbox(app);
            assertThat(es("GET", "/" + legacy + "/_doc/" + TestStack.enc("nl-amstel/Observation/" + second), null)
                    .body()).as("writes are mirrored into the older index meanwhile").contains("\"found\":true");

            HttpResponse<String> reindex = reindex(app);
            assertThat(reindex.statusCode()).as(reindex.body()).isEqualTo(200);
            assertThat(JSON.readTree(reindex.body()).path("index").asText()).startsWith("meridian-records-v3-");

            HttpResponse<String> page = TestStack.get(search, token);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            java.util.Map<String, String> answered = health.meridian.web.it.RawJson.entryResources(page.body());
            assertThat(answered).hasSize(2);
            for (String id : java.util.List.of("Observation/" + first, "Observation/" + second)) {
                assertThat(answered.get(id)).as(id).isEqualTo(TestStack.get(app + "/fhir/" + id, token).body());
            }
            assertThat(answered.get("Observation/" + first)).contains("\"value\":7.10,");
            assertThat(answered.get("Observation/" + second)).contains("\"value\":0.0000001,");
        } finally {
            if (aliasTargets().stream().anyMatch(i -> !i.startsWith("meridian-records-v3"))) {
                reindex(app); // leave the stack current for the next tests, whatever failed above
            }
        }
    }

    /**
     * What an upgrade from a release with mapping v2 finds: the alias on a v2 index holding {@code docKeys} as v2
     * documents (the resource in {@code _source}), the v3 index gone, and the new release's start having added the
     * v3 fields to it (IndexBootstrap, EHR-0216), so that writes go on.
     */
    private static void olderIndexBehindTheAlias(String legacy, String... docKeys) throws Exception {
        String live = aliasTargets().get(0);
        String mapping;
        try (var in = MirrorResilienceIT.class.getResourceAsStream("/search/mappings/records-v2.json")) {
            mapping = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        es("DELETE", "/" + legacy + "?ignore_unavailable=true", null);
        assertThat(es("PUT", "/" + legacy, mapping).statusCode()).isEqualTo(200);
        for (String key : docKeys) {
            JsonNode doc = JSON.readTree(es("GET", "/" + live + "/_doc/" + TestStack.enc(key)
                    + "?_source=true&stored_fields=resource_json", null).body());
            String source = doc.path("_source").toString();
            String v2 = source.substring(0, source.length() - 1) + ",\"resource\":"
                    + doc.path("fields").path("resource_json").get(0).asText() + "}";
            HttpResponse<String> put = es("PUT", "/" + legacy + "/_doc/" + TestStack.enc(key) + "?version="
                    + doc.path("_source").path("version").asLong() + "&version_type=external&refresh=true", v2);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        }
        HttpResponse<String> moved = es("POST", "/_aliases", "{\"actions\":[{\"remove\":{\"index\":\"" + live
                + "\",\"alias\":\"meridian-records\"}},{\"add\":{\"index\":\"" + legacy
                + "\",\"alias\":\"meridian-records\",\"is_write_index\":true}}]}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(es("DELETE", "/" + live, null).statusCode()).isEqualTo(200);
        var client = health.meridian.search.ElasticsearchClients.create(TestStack.elasticsearch());
        try {
            health.meridian.search.IndexBootstrap.ensure(client, health.meridian.search.IndexNames.records());
        } finally {
            client._transport().close();
        }
    }

    private static java.util.List<String> aliasTargets() throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        JSON.readTree(es("GET", "/_alias/meridian-records", null).body()).fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static HttpResponse<String> es(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestStack.elasticsearch() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> reindex(String app) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/api/admin/mirror/reindex"))
                .header("Authorization", "Bearer " + TestStack.token("platform.admin"))
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String decimalObservation(String app, String token, String patient, String value)
            throws Exception {
        HttpResponse<String> r = TestStack.post(app + "/fhir/Observation", token, "{\"resourceType\":\"Observation\","
                + "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2345-7\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\"2024-07-01\","
                + "\"valueQuantity\":{\"value\":" + value + ",\"unit\":\"mg/dL\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    /**
     * Issue #4: Elasticsearch killed (SIGKILL, no clean shutdown) in the middle of an import of transaction Bundles:
     * every Bundle still commits, and once Elasticsearch is back the index equals the database.
     */
    @Test
    void elasticsearchKilledMidImportThenRestoredIndexEqualsDatabase() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String token = TestStack.token("dr.jansen");
        int bundles = 10;
        int observations = 25;
        String run = java.util.UUID.randomUUID().toString();
        java.util.List<String> patients = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch killNow = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
        Thread importer = new Thread(() -> {
            try {
                for (int b = 0; b < bundles; b++) {
                    if (b == 3) {
                        killNow.countDown(); // the kill races with the next Bundles, as in a real crash
                    }
                    if (b == 6 && !killed.await(120, TimeUnit.SECONDS)) {
                        problems.add("Elasticsearch was not killed in time");
                    }
                    HttpResponse<String> r = TestStack.post(app + "/fhir", token, importBundle(run, b, observations));
                    if (r.statusCode() != 200) {
                        problems.add("bundle " + b + ": " + r.statusCode() + " " + r.body());
                        continue;
                    }
                    String location = JSON.readTree(r.body()).path("entry").path(0).path("response")
                            .path("location").asText();
                    patients.add(location.split("/")[1]);
                }
            } catch (Exception e) {
                problems.add("import failed: " + e);
            } finally {
                killNow.countDown();
            }
        });
        importer.start();
        try {
            assertThat(killNow.await(300, TimeUnit.SECONDS)).isTrue();
            stack("es-kill");
            killed.countDown();
            importer.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(importer.isAlive()).as("import finished").isFalse();
            assertThat(problems).as("every Bundle commits while the mirror is gone").isEmpty();
            assertThat(patients).hasSize(bundles);
            HttpResponse<String> search = TestStack.get(app + "/fhir/Observation?patient=" + patients.get(9), token);
            assertThat(search.statusCode()).as("search while Elasticsearch is dead").isEqualTo(503);
        } finally {
            stack("es-up");
        }
        waitForEmptyOutbox(app);
        JsonNode report = verify(app, false);
        assertThat(report.path("drift").asLong()).as(report.toString()).isZero();
        assertThat(report.path("inDatabase").asLong()).isEqualTo(report.path("inIndex").asLong());
        JsonNode persons = report.path("persons");
        assertThat(persons.path("inDatabase").asLong()).as("person index entries: " + persons)
                .isGreaterThanOrEqualTo(bundles).isEqualTo(persons.path("inIndex").asLong());
        for (String patient : patients) {
            HttpResponse<String> count = TestStack.get(app + "/fhir/Observation?patient=" + patient
                    + "&_summary=count", token);
            assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
            assertThat(JSON.readTree(count.body()).path("total").asLong()).as(patient).isEqualTo(observations);
        }
    }

    /** A Synthea-shaped transaction: a conditionally created Patient and its Observations by urn:uuid. */
    private static String importBundle(String run, int b, int observations) {
        String patientUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        StringBuilder entries = new StringBuilder("""
                {"fullUrl":"%s","resource":{"resourceType":"Patient","identifier":[{"system":"urn:test:import",
                 "value":"%s-%d"}],"name":[{"family":"Killed%d"}]},
                 "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=urn:test:import|%s-%d"}}"""
                .formatted(patientUrl, run, b, b, run, b));
        for (int i = 0; i < observations; i++) {
            entries.append(",").append("""
                    {"fullUrl":"urn:uuid:%s","resource":{"resourceType":"Observation","status":"final",
                     "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"%s"},
                     "effectiveDateTime":"2022-03-%02d","valueQuantity":{"value":%d,"unit":"kg",
                     "system":"http://unitsofmeasure.org","code":"kg"}},"request":{"method":"POST","url":"Observation"}}"""
                    .formatted(java.util.UUID.randomUUID(), patientUrl, i % 28 + 1, 60 + i));
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
    }

    /**
     * Records another institution holds, shared with this one by a patient's grant, are that institution's to
     * compare: row-level security shows them to a session bound to the grantee institution, and the reconciler once
     * counted them there too ("missing" from this institution's part of the index, and a repair would have announced
     * them under the wrong institution). With an active grant, verify-index finds zero drift.
     */
    @Test
    void recordsSharedByAGrantAreComparedOnlyAtTheirOwnInstitution() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String anna = TestStack.token("patient.anna");
        // Anna's grant to nl-amstel shares what de-spree holds of her; her grant to de-spree lets dr. Mueller
        // register her there whatever ran before (the person-link rule, EHR-0450, ADR 0018)
        String shared = TestStack.grant(app, anna, "nl-amstel");
        String linking = TestStack.grant(app, anna, "de-spree");
        try {
            String mueller = TestStack.token("dr.mueller");
            String patient = create(app, mueller, "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
                    + "\"urn:meridian:person\",\"value\":\"person-anna\"}],\"name\":[{\"family\":\"Shared\"}]}");
            observation(app, mueller, patient, "2024-03-01");
            waitForEmptyOutbox(app);
            JsonNode report = verify(app, false);
            assertThat(report.path("drift").asLong()).as(report.toString()).isZero();
        } finally {
            for (String id : List.of(shared, linking)) {
                TestStack.revokeGrant(app, anna, id);
            }
        }
    }

    private static String create(String app, String token, String body) throws Exception {
        HttpResponse<String> r = TestStack.post(app + "/fhir/Patient", token, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static void observation(String app, String token, String patient, String date) throws Exception {
        HttpResponse<String> r = TestStack.post(app + "/fhir/Observation", token, "{\"resourceType\":\"Observation\","
                + "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\"" + date + "\","
                + "\"valueQuantity\":{\"value\":70,\"unit\":\"kg\"}}");
        assertThat(r.statusCode()).as("writes keep succeeding: " + r.body()).isEqualTo(201);
    }

    private static JsonNode verify(String app, boolean repair) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/api/admin/mirror/verify?repair=" + repair))
                .header("Authorization", "Bearer " + TestStack.token("platform.admin"))
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void waitForEmptyOutbox(String app) throws Exception {
        for (int i = 0; i < 240; i++) {
            if (TestStack.outboxDepth(app) == 0) {
                Thread.sleep(1500);
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("outbox did not drain");
    }

    private static void deleteDocumentBehindTheAppsBack(String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestStack.elasticsearch() + "/meridian-records/_doc/"
                + TestStack.enc(id) + "?refresh=true")).DELETE().build();
        assertThat(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    /**
     * The operator's commands themselves ({@code ./meridian reindex}, {@code ./meridian verify-index}), not only the
     * API they call: both once sent their request to {@code //api/...} and got a 404 while the API tests passed.
     */
    @Test
    void theReindexAndVerifyIndexCommandsWorkAgainstTheRunningApp() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String reindex = meridian("reindex");
        assertThat(reindex).contains("\"drift\":0").contains("meridian-persons-v3-");
        assertThat(meridian("verify-index")).contains("\"drift\":0").contains("\"persons\"");
    }

    /** Runs {@code ./meridian <command>} against this test stack and app; returns its output (exit 0 asserted). */
    private String meridian(String command) throws Exception {
        File root = new File(System.getProperty("meridian.test.stack.script")).getParentFile().getParentFile()
                .getParentFile();
        ProcessBuilder pb = new ProcessBuilder("bash", new File(root, "meridian").getPath(), command)
                .redirectErrorStream(true);
        pb.environment().put("MERIDIAN_STATE", System.getProperty("meridian.test.state"));
        pb.environment().put("MERIDIAN_APP_PORT", String.valueOf(base.getPort()));
        pb.environment().put("MERIDIAN_KC_PORT", String.valueOf(URI.create(System.getProperty(
                "meridian.test.oidc.issuer")).getPort()));
        pb.environment().putIfAbsent("MERIDIAN_DIST", root + "/.meridian/dist");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + out).isZero();
        return out;
    }

    private static void stack(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", System.getProperty("meridian.test.stack.script"), command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("MERIDIAN_STATE", System.getProperty("meridian.test.state"));
        pb.environment().put("MERIDIAN_ES_PORT", System.getProperty("meridian.test.es.port"));
        pb.environment().putIfAbsent("MERIDIAN_DIST", new File(System.getProperty("meridian.test.stack.script"))
                .getParentFile().getParentFile().getParentFile() + "/.meridian/dist");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command).isZero();
    }

}
