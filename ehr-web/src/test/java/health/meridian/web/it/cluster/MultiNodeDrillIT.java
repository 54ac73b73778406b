package health.meridian.web.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.TenantId;
import health.meridian.search.ElasticsearchClients;
import health.meridian.search.ElasticsearchConnection;
import health.meridian.search.ElasticsearchRecordIndex;
import health.meridian.search.IndexBootstrap;
import health.meridian.search.IndexNames;
import health.meridian.search.SearchDocuments;
import health.meridian.web.it.TestStack;
import health.meridian.web.it.portal.PatientSharing;
import health.meridian.web.it.portal.ShareCodeAttempts;
import java.io.File;
import java.io.IOException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The multi-node drill (issue #24, ADR 0029, docs/deploy.md "Multi-node drill"), on this machine:
 * <ul>
 *   <li>two app instances — the test's Payara and a second Payara Micro with the same WAR and settings — behind
 *       haproxy configured exactly as {@code ./meridian up --nodes 2} configures it ({@code stack.sh lb-up});</li>
 *   <li>state across instances: one token on both, a bulk export kicked off on one and polled to its manifest on
 *       the other (the audit sealer's one-leader election is proven by
 *       {@code AuditLedgerIT#twoAppInstancesAppendingAndSealingMakeOneLedger}, not repeated here);</li>
 *   <li>kill -9 one instance under write load through the balancer: every acknowledged write is in PostgreSQL and
 *       readable, clients saw at most retries, and the survivor's outbox worker shipped everything — each of the
 *       run's resources is in the search index at its latest version (an event shipped twice out of order would
 *       leave an older one), and verify-index reports no drift;</li>
 *   <li>a three-node Elasticsearch cluster ({@code stack.sh es-cluster-up}, started here and stopped after): kill -9
 *       the node holding the primary under search load through the app's own client and adapter — searches keep
 *       answering.</li>
 * </ul>
 * The measured figures are printed and written to {@code target/multi-node-drill.txt} (docs/benchmarks.md).
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeDrillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each run's family name and index alias prefix (lower case, no '-'). */
    private static final String RUN = "drill" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> FIGURES = new ArrayList<>();
    /** The demo patient's person (PortalIT's Anna). */
    private static final String ANNA = "person-anna";

    private static Process esCluster;
    private static Path esClusterLog;
    private static health.meridian.web.it.AppInstance second;
    private static int secondPort;
    private static int balancerPort;
    private static String one;
    private static String two;
    private static String balanced;

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    /** The three Elasticsearch nodes boot while the first drills run (they are needed by the last one only). */
    @BeforeAll
    static void startElasticsearchCluster() throws Exception {
        run("es-cluster-down"); // a cluster a crashed run left behind; then fresh data, as test-stack-up does
        Path data = Path.of(System.getProperty("meridian.test.state") + "-cluster", "es-cluster");
        if (Files.exists(data)) {
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        esClusterLog = target().resolve("es-cluster-up.log");
        esCluster = stack("es-cluster-up").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(esClusterLog.toFile())).start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (second != null) {
                second.close();
            }
            run("lb-down");
            if (esCluster != null) {
                esCluster.waitFor(5, TimeUnit.MINUTES);
            }
            run("es-cluster-down");
        } finally {
            Files.write(target().resolve("multi-node-drill.txt"), FIGURES, StandardCharsets.UTF_8);
        }
    }

    /** A second instance and the balancer in front of both (once; the kill drill leaves only the first). */
    private void twoInstancesBehindTheBalancer() throws Exception {
        if (balanced != null) {
            return;
        }
        one = TestStack.app(base);
        String context = base.getPath().replaceAll("^/+|/+$", "");
        second = health.meridian.web.it.AppInstance.start(base, "drill-second", java.util.Map.of());
        two = second.app();
        secondPort = URI.create(two).getPort();
        String suffix = "/" + context + (context.isEmpty() ? "" : "/");
        balancerPort = freePort();
        ProcessBuilder lb = stack("lb-up", Integer.toString(base.getPort()), Integer.toString(secondPort));
        lb.environment().put("MERIDIAN_APP_PORT", Integer.toString(balancerPort));
        Process p = lb.redirectErrorStream(true).start(); // waits until /health/ready answers through haproxy
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("lb-up: " + out).isTrue();
        balanced = "http://127.0.0.1:" + balancerPort + suffix.replaceAll("/$", "");
        assertThat(two).isNotEqualTo(one);
    }

    @Test
    @Order(1)
    void tokensAndBulkJobsWorkAcrossInstances() throws Exception {
        twoInstancesBehindTheBalancer();
        TestStack.ensureTenants(one);
        String token = TestStack.token("dr.jansen");
        for (String app : List.of(one, two)) {
            assertThat(TestStack.get(app + "/fhir/Patient?_count=1", token).statusCode())
                    .as("one token, accepted by " + app).isEqualTo(200);
        }
        // a job kicked off on the second instance; either instance's worker may run it; polled on the first
        HttpResponse<String> kickOff = HTTP.send(HttpRequest.newBuilder(URI.create(two
                        + "/fhir/$export?_type=Patient")).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async").header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow()
                .replace("127.0.0.1:" + secondPort, "127.0.0.1:" + base.getPort())
                .replace(URI.create(two).getHost() + ":" + secondPort, "127.0.0.1:" + base.getPort());
        assertThat(status).as("polled on the first instance").startsWith(one);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        HttpResponse<String> r;
        while ((r = TestStack.get(status, token)).statusCode() == 202) {
            assertThat(System.nanoTime()).as("export completes").isLessThan(deadline);
            Thread.sleep(300);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).has("transactionTime")).as(r.body()).isTrue();
    }

    /**
     * Share-code limits across instances, each request sent to one instance directly: a one-time code redeemed six
     * times at once, alternately on both instances (by three care professionals), is redeemed exactly once — the
     * redemptions are held at the code's row (a lock the test takes) until all six are in flight, so the race is not
     * left to chance; a withdrawal on one instance is refused, and ends the redeemer's access, on the other at once;
     * and twelve wrong codes sent at once alternately to both instances are judged no more than five times.
     */
    @Test
    @Order(2)
    void shareCodeLimitsHoldAcrossInstances() throws Exception {
        twoInstancesBehindTheBalancer();
        TestStack.ensureTenants(one);
        String anna = TestStack.token("patient.anna");
        List<String> redeemers = List.of("dr.jansen", "dr.mueller", "nurse.visser");
        Map<String, String> tokens = new HashMap<>();
        for (String user : redeemers) {
            tokens.put(user, TestStack.token(user));
        }
        HttpResponse<String> annasRecord = TestStack.post(one + "/fhir/Patient", tokens.get("dr.jansen"),
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\",\"value\":\""
                        + ANNA + "\"}],\"name\":[{\"family\":\"" + RUN + "\",\"given\":[\"Anna\"]}]}");
        assertThat(annasRecord.statusCode()).as(annasRecord.body()).isEqualTo(201);
        forgetShareCodeAttempts(redeemers);
        List<String> issuedIds = new ArrayList<>();
        try {
            // one code, six redemptions at once on both instances: exactly one redeems it
            JsonNode issued = JSON.readTree(api("POST", one + "/api/share-codes", anna, "{}").body());
            String id = issued.path("id").asText();
            issuedIds.add(id);
            String code = issued.path("code").asText();
            int attempts = 6;
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            List<String> servedBy = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(attempts);
            try (Connection hold = TestStack.ownerConnection()) {
                hold.setAutoCommit(false);
                try (PreparedStatement bind = hold.prepareStatement(
                        "SELECT set_config('app.person_id', ?, true)")) {
                    bind.setString(1, ANNA);
                    bind.execute();
                }
                try (PreparedStatement lock = hold.prepareStatement("SELECT id FROM share_code WHERE id = ?"
                        + " FOR UPDATE")) {
                    lock.setString(1, id);
                    try (ResultSet rs = lock.executeQuery()) {
                        assertThat(rs.next()).as("the code's row, held by the test").isTrue();
                    }
                }
                for (int i = 0; i < attempts; i++) {
                    String app = i % 2 == 0 ? one : two;
                    String user = redeemers.get(i % redeemers.size());
                    servedBy.add(user + " on " + (app.equals(one) ? "instance 1" : "instance 2"));
                    answers.add(pool.submit(() -> api("POST", app + "/api/share-codes/redeem", tokens.get(user),
                            "{\"code\":\"" + code + "\"}")));
                }
                // every redemption is in flight, waiting in PostgreSQL (at the row, or at the code's lock)
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                int waiting = 0;
                for (int stable = 0; stable < 3 && System.nanoTime() < deadline
                        && answers.stream().noneMatch(Future::isDone); Thread.sleep(stable == 0 ? 100 : 500)) {
                    waiting = waitingLocks(hold, id);
                    stable = waiting >= attempts ? stable + 1 : 0;
                }
                figure("share code: " + waiting + " of " + attempts + " redemptions waiting in PostgreSQL"
                        + " when the code's row was released");
                hold.rollback();
            }
            List<HttpResponse<String>> redeemed = new ArrayList<>();
            for (Future<HttpResponse<String>> a : answers) {
                redeemed.add(a.get(2, TimeUnit.MINUTES));
            }
            pool.shutdown();
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                HttpResponse<String> r = redeemed.get(i);
                outcomes.add(servedBy.get(i) + ": " + r.statusCode() + " " + r.body());
            }
            assertThat(redeemed.stream().filter(r -> r.statusCode() == 200).count())
                    .as("a one-time code is redeemed once: " + outcomes).isEqualTo(1);
            assertThat(redeemed.stream().filter(r -> r.statusCode() != 200))
                    .as("the others are refused as used: " + outcomes).hasSize(attempts - 1)
                    .allSatisfy(r -> {
                        assertThat(r.statusCode()).isEqualTo(409);
                        assertThat(r.body()).contains("EHR-0744");
                    });
            assertThat(statusOf(anna, id)).as("the code is used").isEqualTo("used");
            forgetShareCodeAttempts(redeemers);
            // The race's winner reads Anna's summary through that code until she withdraws it, and other tests may
            // have left her grants: end all of it, so that below only the new code opens her summary to dr.mueller.
            String annasSummary = one + "/fhir/" + JSON.readTree(redeemed.stream().filter(r -> r.statusCode() == 200)
                    .findFirst().orElseThrow().body()).path("patient").asText() + "/$summary";
            PatientSharing.endAll(one, anna);
            assertThat(statusOf(anna, id)).as("the used code is withdrawn").isEqualTo("withdrawn");
            assertThat(TestStack.get(annasSummary, tokens.get("dr.mueller")).statusCode())
                    .as("before redeeming: no way to Anna's summary").isEqualTo(404);

            // redeemed on instance 2, read on instance 1; withdrawn on instance 2: no access on instance 1 at once
            String mueller = tokens.get("dr.mueller");
            JsonNode shared = JSON.readTree(api("POST", one + "/api/share-codes", anna, "{}").body());
            issuedIds.add(shared.path("id").asText());
            HttpResponse<String> redemption = api("POST", two + "/api/share-codes/redeem", mueller,
                    "{\"code\":\"" + shared.path("code").asText() + "\"}");
            assertThat(redemption.statusCode()).as(redemption.body()).isEqualTo(200);
            String summary = one + "/fhir/" + JSON.readTree(redemption.body()).path("patient").asText() + "/$summary";
            assertThat(TestStack.get(summary, mueller).statusCode()).as("the redeemer's access on the other instance")
                    .isEqualTo(200);
            assertThat(api("DELETE", two + "/api/share-codes/" + shared.path("id").asText(), anna, null).statusCode())
                    .isEqualTo(200);
            assertThat(TestStack.get(summary, mueller).statusCode())
                    .as("withdrawn on instance 2: no access on instance 1 at once").isEqualTo(404);

            // a code withdrawn on instance 2 is refused on instance 1 at once (and the other way round)
            for (String[] pair : new String[][] {{two, one}, {one, two}}) {
                JsonNode fresh = JSON.readTree(api("POST", pair[0] + "/api/share-codes", anna, "{}").body());
                issuedIds.add(fresh.path("id").asText());
                assertThat(api("DELETE", pair[0] + "/api/share-codes/" + fresh.path("id").asText(), anna, null)
                        .statusCode()).isEqualTo(200);
                HttpResponse<String> refused = api("POST", pair[1] + "/api/share-codes/redeem",
                        tokens.get("dr.mueller"), "{\"code\":\"" + fresh.path("code").asText() + "\"}");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
                assertThat(refused.body()).contains("EHR-0744").contains("withdrew");
            }

            // twelve wrong codes at once, alternately on both instances: five judged, the rest held back
            forgetShareCodeAttempts(redeemers);
            ExecutorService guessers = Executors.newFixedThreadPool(12);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<HttpResponse<String>>> guesses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String app = i % 2 == 0 ? one : two;
                String guess = String.format(Locale.ROOT, "00000-2%04d", i);
                guesses.add(guessers.submit(() -> {
                    start.await();
                    return api("POST", app + "/api/share-codes/redeem", mueller, "{\"code\":\"" + guess + "\"}");
                }));
            }
            start.countDown();
            List<String> statuses = new ArrayList<>();
            int judged = 0;
            for (Future<HttpResponse<String>> g : guesses) {
                HttpResponse<String> r = g.get(2, TimeUnit.MINUTES);
                statuses.add(r.statusCode() + (r.body().contains("EHR-0743") ? " EHR-0743"
                        : r.body().contains("EHR-0747") ? " EHR-0747" : " " + r.body()));
                judged += r.statusCode() == 404 ? 1 : 0;
            }
            guessers.shutdown();
            figure("share code: 12 wrong codes at once on two instances: " + statuses);
            assertThat(statuses).as("refused as wrong or as too many").containsOnly("404 EHR-0743", "429 EHR-0747");
            assertThat(judged).as("at most five failures per user, counted across instances: " + statuses)
                    .isEqualTo(5);
            assertThat(ShareCodeAttempts.failuresOnRecord(subjectOf(mueller))).isEqualTo(5);
        } finally {
            for (String id : issuedIds) {
                api("DELETE", one + "/api/share-codes/" + id, anna, null); // already withdrawn: refused, harmless
            }
            forgetShareCodeAttempts(redeemers);
        }
    }

    /**
     * The cohort differencing guard's memory across instances (ADR 0013): a researcher's count on instance 1, then
     * the count that leaves out two of its persons on instance 2 — refused (409 EHR-0830) as on one instance; with
     * the memory emptied, the same second count alone is answered (so the refusal came from the first instance's
     * answer, remembered in PostgreSQL).
     */
    @Test
    @Order(3)
    void theCohortDifferencingGuardRemembersAcrossInstances() throws Exception {
        twoInstancesBehindTheBalancer();
        TestStack.ensureTenants(one);
        String visit = "urn:meridian:drill|" + RUN + "-visit";
        String procedure = "urn:meridian:drill|" + RUN + "-procedure";
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String p = "urn:uuid:" + UUID.randomUUID();
            entries.add("{\"fullUrl\":\"" + p + "\",\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{"
                    + "\"system\":\"urn:it:cohort\",\"value\":\"" + RUN + "-c" + i + "\"}],\"name\":[{\"family\":\""
                    + RUN + "\",\"given\":[\"c" + i + "\"]}],\"gender\":\"female\",\"birthDate\":\"1970-01-01\"},"
                    + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
            entries.add(entry("Encounter", "\"status\":\"finished\",\"class\":{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},\"type\":[{\"coding\":[{"
                    + "\"system\":\"urn:meridian:drill\",\"code\":\"" + RUN + "-visit\"}]}],\"subject\":{\"reference\":\""
                    + p + "\"},\"period\":{\"start\":\"2024-03-15T08:00:00Z\"}"));
            entries.add(entry("Consent", "\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"research\"}]},"
                    + "\"category\":[{\"coding\":[{\"system\":"
                    + "\"http://terminology.hl7.org/CodeSystem/consentcategorycodes\",\"code\":\"research\"}]}],"
                    + "\"patient\":{\"reference\":\"" + p + "\"},\"dateTime\":\"2024-01-01T00:00:00Z\","
                    + "\"policyRule\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
                    + "\"code\":\"OPTIN\"}]}"));
            if (i < 2) {
                entries.add(entry("Procedure", "\"status\":\"completed\",\"code\":{\"coding\":[{\"system\":"
                        + "\"urn:meridian:drill\",\"code\":\"" + RUN + "-procedure\"}]},\"subject\":{\"reference\":\""
                        + p + "\"},\"performedDateTime\":\"2022-05-01T08:00:00Z\""));
            }
        }
        HttpResponse<String> loaded = TestStack.post(one + "/fhir", TestStack.token("dr.jansen"),
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}");
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        awaitEmptyOutbox(one);
        HTTP.send(HttpRequest.newBuilder(URI.create(TestStack.elasticsearch() + "/meridian-persons/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        String lee = TestStack.token("researcher.lee");
        String subject = subjectOf(lee);
        String all = cohort("{\"type\":\"encounter\",\"codes\":[\"" + visit + "\"]}");
        String allButTwo = cohort("{\"op\":\"and\",\"items\":[{\"type\":\"encounter\",\"codes\":[\"" + visit
                + "\"]},{\"op\":\"not\",\"items\":[{\"type\":\"procedure\",\"codes\":[\"" + procedure + "\"]}]}]}");
        forgetDisclosures(subject);
        try {
            HttpResponse<String> first = api("POST", one + "/api/cohorts/count", lee, all);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(JSON.readTree(first.body()).path("count").asText()).as(first.body()).isEqualTo("7");
            HttpResponse<String> second = api("POST", two + "/api/cohorts/count", lee, allButTwo);
            assertThat(second.statusCode()).as("two persons fewer, on the other instance: " + second.body())
                    .isEqualTo(409);
            assertThat(second.body()).contains("EHR-0830");

            forgetDisclosures(subject);
            HttpResponse<String> alone = api("POST", two + "/api/cohorts/count", lee, allButTwo);
            assertThat(alone.statusCode()).as("the same count without the first answer: " + alone.body())
                    .isEqualTo(200);
            assertThat(JSON.readTree(alone.body()).path("count").asText()).as(alone.body()).isEqualTo("5");
        } finally {
            forgetDisclosures(subject);
        }
    }

    @Test
    @Order(4)
    void killingOneAppInstanceUnderWriteLoadLosesNoAcknowledgedWrite() throws Exception {
        twoInstancesBehindTheBalancer();
        TestStack.ensureTenants(one);
        String token = TestStack.token("dr.jansen");
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>(); // id -> highest acknowledged version
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong lastRetryAt = new AtomicLong();
        long start = System.nanoTime();
        long killAt = start + Duration.ofSeconds(6).toNanos();
        long stopAt = killAt + Duration.ofSeconds(10).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int writer = t;
            writers.add(pool.submit(() -> {
                for (int i = 0; System.nanoTime() < stopAt; i++) {
                    String given = "w" + writer + "n" + i;
                    HttpResponse<String> created = withRetries("POST", balanced + "/fhir/Patient", token,
                            patient(null, given), retries, lastRetryAt);
                    if (created == null || created.statusCode() != 201) {
                        failures.incrementAndGet();
                        continue;
                    }
                    JsonNode body = JSON.readTree(created.body());
                    String id = body.path("id").asText();
                    acknowledged.merge(id, body.path("meta").path("versionId").asInt(), Math::max);
                    // an update of every resource: its two versions' events may be shipped by either worker
                    HttpResponse<String> updated = withRetries("PUT", balanced + "/fhir/Patient/" + id, token,
                            patient(id, given + "u"), retries, lastRetryAt);
                    if (updated == null || updated.statusCode() != 200) {
                        failures.incrementAndGet();
                        continue;
                    }
                    acknowledged.merge(id, JSON.readTree(updated.body()).path("meta").path("versionId").asInt(),
                            Math::max);
                }
                return null;
            }));
        }
        Thread.sleep(Math.max(0, (killAt - System.nanoTime()) / 1_000_000));
        int beforeKill = acknowledged.size();
        long killedAt = System.nanoTime();
        second.kill(); // SIGKILL: the JVM gets no chance to finish or hand over anything
        for (Future<?> w : writers) {
            w.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        double retryWindow = lastRetryAt.get() == 0 ? 0 : Math.max(0, (lastRetryAt.get() - killedAt) / 1e9);
        figure(String.format(Locale.ROOT, "kill -9 app instance under write load: %d resources acknowledged"
                        + " (%d before the kill), 4 writers, %d client retries (last %.1f s after the kill),"
                        + " %d writes failed after retries", acknowledged.size(), beforeKill, retries.get(),
                retryWindow, failures.get()));
        assertThat(failures.get()).as("clients see at most retries").isZero();
        assertThat(beforeKill).as("writes went through both instances before the kill").isGreaterThan(0);
        assertThat(acknowledged.size()).as("writes continued after the kill").isGreaterThan(beforeKill);

        // every acknowledged write is in PostgreSQL at (at least) its acknowledged version, and readable
        Map<String, Integer> stored = storedVersions();
        acknowledged.forEach((id, version) -> assertThat(stored.get(id))
                .as("acknowledged Patient/" + id + " v" + version + " in PostgreSQL").isNotNull()
                .isGreaterThanOrEqualTo(version));
        for (String id : acknowledged.keySet()) {
            assertThat(TestStack.get(balanced + "/fhir/Patient/" + id, token).statusCode())
                    .as("Patient/" + id + " readable through the balancer").isEqualTo(200);
        }

        // the survivor's worker shipped everything: each resource of the run at its latest version in the index
        long drainStart = System.nanoTime();
        awaitEmptyOutbox(one);
        figure(String.format(Locale.ROOT, "  outbox drained by the survivor %.1f s after the writers stopped",
                (System.nanoTime() - drainStart) / 1e9));
        Map<String, Long> indexed = indexedVersions(stored.keySet());
        stored.forEach((id, version) -> assertThat(indexed.get(id))
                .as("Patient/" + id + " in the search index at its latest version").isEqualTo((long) version));
        JsonNode verify = verifyIndex(one);
        assertThat(verify.path("drift").asLong()).as("verify-index: " + verify).isZero();
        HttpResponse<String> search = TestStack.get(one + "/fhir/Patient?family=" + RUN + "&_summary=count", token);
        assertThat(JSON.readTree(search.body()).path("total").asInt()).as("search count == PostgreSQL count")
                .isEqualTo(stored.size());
    }

    @Test
    @Order(5)
    void killingOneElasticsearchNodeUnderSearchLoadKeepsSearchesAnswering() throws Exception {
        assertThat(esCluster.waitFor(5, TimeUnit.MINUTES)).as("es-cluster-up finished").isTrue();
        assertThat(esCluster.exitValue()).as(Files.readString(esClusterLog)).isZero();
        String nodes = clusterUrl();
        // the app's own client and adapter, told all three nodes as meridian.es.url
        ElasticsearchClient client = ElasticsearchClients.create(ElasticsearchConnection.plain(nodes));
        IndexNames names = new IndexNames(RUN + "-records", IndexNames.records().mappingVersion());
        try {
            IndexBootstrap.ensure(client, names);
            ElasticsearchRecordIndex index = new ElasticsearchRecordIndex(client, names);
            String first = nodes.split(",")[0];
            // an index as created before ADR 0029 (no replica): the next start's bootstrap gives it one
            client.indices().putSettings(p -> p.index(names.alias()).settings(st -> st.autoExpandReplicas("false")
                    .numberOfReplicas("0")));
            IndexBootstrap.ensure(client, names);
            JsonNode health = JSON.readTree(get(first + "/_cluster/health/" + names.concreteIndex()
                    + "?wait_for_status=green&timeout=60s"));
            assertThat(health.path("status").asText()).as("one replica on a three-node cluster: " + health)
                    .isEqualTo("green");
            assertThat(health.path("active_shards").asInt()).as("primary and replica").isEqualTo(2);
            int count = 60;
            ship(index, count);
            RecordQuery query = RecordQuery.of(RecordQuery.Scope.tenants(List.of(TenantId.of("nl-amstel"))),
                    "Patient", List.of(), 10);
            assertThat(index.search(query).total()).isEqualTo(count);

            // the node holding the primary is the one killed
            JsonNode shards = JSON.readTree(get(first + "/_cat/shards/" + names.concreteIndex() + "?format=json"));
            String primaryNode = null;
            for (JsonNode s : shards) {
                if ("p".equals(s.path("prirep").asText())) {
                    primaryNode = s.path("node").asText();
                }
            }
            assertThat(primaryNode).startsWith("meridian-node-");
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            AtomicLong slowest = new AtomicLong();
            long start = System.nanoTime();
            long killAt = start + Duration.ofSeconds(3).toNanos();
            long stopAt = killAt + Duration.ofSeconds(8).toNanos();
            AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
            AtomicLong slowestAfterKill = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> searchers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                searchers.add(pool.submit(() -> {
                    while (System.nanoTime() < stopAt) {
                        long t0 = System.nanoTime();
                        try {
                            SearchResult r = index.search(query);
                            if (r.total() == count) {
                                answered.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        long took = System.nanoTime() - t0;
                        slowest.accumulateAndGet(took, Math::max);
                        if (t0 >= killedAt.get() - Duration.ofSeconds(1).toNanos()) {
                            slowestAfterKill.accumulateAndGet(took, Math::max);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(Math.max(0, (killAt - System.nanoTime()) / 1_000_000));
            int beforeKill = answered.get();
            killedAt.set(System.nanoTime());
            Process kill = stack("es-node-kill", primaryNode.substring("meridian-node-".length()))
                    .redirectErrorStream(true).start();
            String killOut = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0).as(killOut).isTrue();
            for (Future<?> s : searchers) {
                s.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            figure(String.format(Locale.ROOT, "kill -9 the Elasticsearch node holding the primary (%s) under search"
                            + " load: 4 searchers, %d searches answered (%d before the kill), %d errors; slowest"
                            + " search %.0f ms (%.0f ms around the kill)", primaryNode, answered.get(), beforeKill,
                    errors.get(), slowest.get() / 1e6, slowestAfterKill.get() / 1e6));
            assertThat(errors.get()).as("searches keep answering, with every record").isZero();
            assertThat(answered.get()).as("searches after the kill").isGreaterThan(beforeKill);
            // the surviving copy was promoted to primary; the cluster goes on with two nodes
            JsonNode after = JSON.readTree(get(nodes.split(",")[primaryNode.endsWith("1") ? 1 : 0]
                    + "/_cluster/health/" + names.concreteIndex() + "?wait_for_status=yellow&timeout=30s"));
            assertThat(after.path("number_of_nodes").asInt()).isEqualTo(2);
            assertThat(after.path("active_primary_shards").asInt()).as("a primary again: " + after).isEqualTo(1);
        } finally {
            try {
                client.indices().delete(d -> d.index(names.concreteIndex()).ignoreUnavailable(true));
            } finally {
                client._transport().close();
            }
        }
    }

    // ---- fixtures

    private static HttpResponse<String> api(String method, String url, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status the patient sees of one of her share codes (valid, used, withdrawn, expired). */
    private static String statusOf(String patientToken, String id) throws Exception {
        HttpResponse<String> r = api("GET", one + "/api/share-codes", patientToken, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode c : JSON.readTree(r.body())) {
            if (id.equals(c.path("id").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    private static String entry(String type, String body) {
        return "{\"resource\":{\"resourceType\":\"" + type + "\"," + body + "},\"request\":{\"method\":\"POST\","
                + "\"url\":\"" + type + "\"}}";
    }

    private static String cohort(String criteria) {
        return "{\"indexDate\":\"2025-01-01\",\"criteria\":" + criteria + "}";
    }

    private static String subjectOf(String token) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])).path("sub").asText();
    }

    /**
     * Sessions waiting for a row another transaction holds, or for the share code's own advisory lock (the key
     * JpaShareCodeRepository#lockAndRefresh takes), as pg_locks shows them to anyone.
     */
    private static int waitingLocks(Connection c, String codeId) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE NOT granted"
                + " AND (locktype IN ('transactionid', 'tuple') OR (locktype = 'advisory' AND objsubid = 1"
                + " AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)))")) {
            s.setString(1, "share-code:" + codeId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The researcher's answers and refusals in the differencing guard's memory (V12), forgotten (as the owner). */
    private static void forgetDisclosures(String subject) throws Exception {
        try (Connection c = TestStack.ownerConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM cohort_disclosure WHERE subject = ?")) {
            s.setString(1, subject);
            s.executeUpdate();
        }
    }

    /**
     * Moves the users' and the loopback address's recent share-code attempts out of the rate-limit window (as the
     * owner, as PortalIT does), so this drill neither depends on nor limits the other tests.
     */
    private static void forgetShareCodeAttempts(List<String> users) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (String user : users) {
            subjects.add(subjectOf(TestStack.token(user)));
        }
        try (Connection c = TestStack.ownerConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("ALTER TABLE share_code_failure NO FORCE ROW LEVEL SECURITY");
            try (PreparedStatement s = c.prepareStatement("UPDATE share_code_failure SET failed_at = failed_at"
                    + " - interval '1 hour' WHERE (subject = ANY (?) OR client_ip IN ('127.0.0.1', '0:0:0:0:0:0:0:1'))"
                    + " AND failed_at > now() - interval '15 minutes'")) {
                s.setArray(1, c.createArrayOf("text", subjects.toArray()));
                s.executeUpdate();
            }
            c.createStatement().execute("ALTER TABLE share_code_failure FORCE ROW LEVEL SECURITY");
            c.commit();
        }
    }

    private static String patient(String id, String given) {
        return "{\"resourceType\":\"Patient\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"name\":[{\"family\":\"" + RUN + "\",\"given\":[\"" + given + "\"]}]}";
    }

    /**
     * A client of the balancer: a connection error, 502 or 503 (the instance died under the request, or the
     * balancer has no instance for it yet) is retried after a short pause; anything else is the answer.
     */
    private static HttpResponse<String> withRetries(String method, String url, String token, String body,
                                                    AtomicInteger retries, AtomicLong lastRetryAt) {
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/fhir+json")
                        .header("Accept", "application/fhir+json").header("Authorization", "Bearer " + token)
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 502 && r.statusCode() != 503) {
                    return r;
                }
            } catch (IOException e) {
                // connection refused or reset: retried
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            retries.incrementAndGet();
            lastRetryAt.set(System.nanoTime());
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Every Patient of this run in PostgreSQL with its latest version (as the schema owner, bound to Amstel). */
    private static Map<String, Integer> storedVersions() throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = TestStack.ownerConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.tenant_id', 'nl-amstel', true)")) {
                bind.execute();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT resource_id, max(version) FROM resource_version"
                    + " WHERE tenant_id = 'nl-amstel' AND resource_type = 'Patient'"
                    + " AND content -> 'name' -> 0 ->> 'family' = ? GROUP BY resource_id")) {
                s.setString(1, RUN);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            c.rollback();
        }
        return out;
    }

    /** The version each resource has in the live records index (external versioning: the resource version). */
    private static Map<String, Long> indexedVersions(java.util.Set<String> ids) throws Exception {
        StringBuilder docs = new StringBuilder();
        for (String id : ids) {
            docs.append(docs.length() == 0 ? "" : ",").append('"')
                    .append(new ResourceKey(TenantId.of("nl-amstel"), "Patient", id).documentId()).append('"');
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(TestStack.elasticsearch()
                        + "/meridian-records/_mget?_source=false")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\":[" + docs + "]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Long> out = new HashMap<>();
        for (JsonNode d : JSON.readTree(r.body()).path("docs")) {
            if (d.path("found").asBoolean()) {
                String id = d.path("_id").asText();
                out.put(id.substring(id.lastIndexOf('/') + 1), d.path("_version").asLong());
            }
        }
        return out;
    }

    private static void awaitEmptyOutbox(String app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (TestStack.outboxDepth(app) != 0) {
            assertThat(System.nanoTime()).as("the outbox drains").isLessThan(deadline);
            Thread.sleep(250);
        }
        HTTP.send(HttpRequest.newBuilder(URI.create(TestStack.elasticsearch() + "/meridian-records/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static JsonNode verifyIndex(String app) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(app + "/api/admin/mirror/verify"))
                .header("Authorization", "Bearer " + TestStack.token("platform.admin"))
                .header("Accept", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Sixty Patients shipped as the outbox worker ships them, then refreshed. */
    private static void ship(ElasticsearchRecordIndex index, int count) throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        SearchDocuments documents = new SearchDocuments(fhir);
        EnvelopeExtractor envelopes = new EnvelopeExtractor(fhir);
        List<IndexedRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = RUN + "p" + i;
            String json = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"" + RUN
                    + "\"}]}";
            batch.add(documents.toIndexed(new StoredResource(new ResourceKey(TenantId.of("nl-amstel"), "Patient", id),
                    1, null, false, json, Instant.now(), envelopes.extract(fhir.newJsonParser().parseResource(json),
                    id))));
        }
        assertThat(index.ship(batch)).as("documents refused by the index").isEmpty();
        index.refresh();
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void figure(String line) {
        System.out.println("multi-node drill: " + line);
        FIGURES.add(line);
    }

    // ---- the stack script (infra/local/stack.sh) with this drill's own state dir and ports

    private static String clusterUrl() {
        int port = Integer.getInteger("meridian.test.es.cluster.port", 59220);
        return "http://127.0.0.1:" + port + ",http://127.0.0.1:" + (port + 1) + ",http://127.0.0.1:" + (port + 2);
    }

    private static ProcessBuilder stack(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("meridian.test.stack.script")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Path script = Path.of(System.getProperty("meridian.test.stack.script"));
        Path root = script.getParent().getParent().getParent();
        Map<String, String> env = pb.environment();
        env.put("MERIDIAN_STATE", System.getProperty("meridian.test.state") + "-cluster");
        env.putIfAbsent("MERIDIAN_DIST", root.resolve(".meridian/dist").toString());
        // three JVMs booting at once beside the app instances on a small, busy machine: more than the default 120 s
        env.putIfAbsent("MERIDIAN_ES_TIMEOUT", "360");
        env.put("MERIDIAN_ES_CLUSTER_PORT", Integer.toString(Integer.getInteger("meridian.test.es.cluster.port", 59220)));
        env.put("MERIDIAN_ES_CLUSTER_TRANSPORT_PORT",
                Integer.toString(Integer.getInteger("meridian.test.es.cluster.transport.port", 59223)));
        return pb;
    }

    private static void run(String... args) throws Exception {
        Process p = stack(args).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        p.waitFor(2, TimeUnit.MINUTES);
    }

    private static Path target() {
        return Path.of(System.getProperty("meridian.war")).getParent();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
