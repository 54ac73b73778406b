package health.meridian.web.it.cohort;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cohort count latency (docs/benchmarks.md): loads {@code -Dcohort.bench.patients=N} patients into nl-amstel
 * through the FHIR API (transaction bundles of 50 patients), waits for the mirror and checks the count of the first
 * definition against the SQL oracle; then, with {@code -Dcohort.bench.persons=M}, adds M cloned persons straight
 * into the person cohort index ({@link PersonClones}); then times each definition (warm-up, then repetitions) as
 * nl-amstel's tenant admin and as the platform admin: wall time at the client and the server's tookMs, p50/p95.
 * Only runs when the property is set. It adds
 * thousands of patients to nl-amstel, so with CohortIT in the same run use
 * {@code -Dfailsafe.runOrder=reversealphabetical} (CohortIT's fixture expectations assume its small population).
 */
@ExtendWith(ArquillianExtension.class)
// Decided before Arquillian deploys: without the property the class costs nothing (no Payara boot).
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "cohort.bench.patients", matches = "[1-9][0-9]*")
class CohortBenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @Test
    void cohortCountLatency() throws Exception {
        int n = Integer.getInteger("cohort.bench.patients", 0);
        Assumptions.assumeTrue(n > 0, "set -Dcohort.bench.patients=N to run the benchmark");
        int reps = Integer.getInteger("cohort.bench.repetitions", 30);
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        long t0 = System.nanoTime();
        CohortPopulation.load(app, "dr.jansen", "bench", n, false, 50);
        CohortPopulation.waitForMirror(app);
        long loadMs = (System.nanoTime() - t0) / 1_000_000;

        Map<String, String> defs = new LinkedHashMap<>();
        String sct = CohortPopulation.SCT;
        defs.put("condition", "{\"type\":\"condition\",\"codes\":[\"" + sct + "|" + CohortPopulation.DIABETES + "\"]}");
        defs.put("HbA1c > 8 % AND NOT metformin", "{\"op\":\"and\",\"items\":[{\"type\":\"observation\",\"codes\":[\""
                + CohortPopulation.LOINC + "|" + CohortPopulation.HBA1C + "\"],\"value\":{\"comparator\":\"gt\","
                + "\"value\":8,\"unit\":\"%\"}},{\"op\":\"not\",\"items\":[{\"type\":\"medication\",\"codes\":[\""
                + CohortPopulation.RXNORM + "|" + CohortPopulation.METFORMIN + "\"]}]}]}");
        defs.put("women 40-75 AND (flu OR hypertension)", "{\"op\":\"and\",\"items\":[{\"type\":\"demographics\","
                + "\"gender\":\"female\",\"minAge\":40,\"maxAge\":75},{\"op\":\"or\",\"items\":[{\"type\":"
                + "\"immunization\",\"codes\":[\"" + CohortPopulation.CVX + "|" + CohortPopulation.FLU + "\"]},"
                + "{\"type\":\"condition\",\"codes\":[\"" + sct + "|" + CohortPopulation.HYPERTENSION + "\"]}]}]}");
        defs.put("metformin within 90 days after diabetes", "{\"type\":\"temporal\",\"first\":{\"type\":\"condition\","
                + "\"codes\":[\"" + sct + "|" + CohortPopulation.DIABETES + "\"]},\"then\":{\"type\":\"medication\","
                + "\"codes\":[\"" + CohortPopulation.RXNORM + "|" + CohortPopulation.METFORMIN + "\"]},\"withinDays\":90}");

        String first = "{\"indexDate\":\"2025-01-01\",\"criteria\":" + defs.values().iterator().next() + "}";
        int oracle = SqlOracle.persons("nl-amstel", "(" + SqlOracle.coded("Condition", sct,
                CohortPopulation.DIABETES, null, null) + ") INTERSECT " + SqlOracle.population()).size();
        assertThat(count(app, "admin.amstel", first).path("count").asText()).isEqualTo(String.valueOf(oracle));

        StringBuilder text = new StringBuilder("Loaded through the API: " + n + " patients into nl-amstel in "
                + loadMs + " ms; " + reps + " timed runs per definition after 3 warm-up runs, sequential.\n");
        PersonClones.noRequestCache(TestStack.elasticsearch());
        text.append(timed(app, defs, reps, "no clones"));
        int done = 0;
        for (String step : System.getProperty("cohort.bench.persons", "").split(",")) {
            if (step.isBlank()) {
                continue;
            }
            int target = Integer.parseInt(step.trim());
            int added = target - done;
            long c0 = System.nanoTime();
            int templates = PersonClones.load(TestStack.elasticsearch(), added, 20251130L + target);
            long cloneMs = (System.nanoTime() - c0) / 1_000_000;
            done = target;
            String shape = PersonClones.settle(TestStack.elasticsearch(), 600_000);
            text.append(timed(app, defs, reps, target + " clones in total (" + added + " added from " + templates
                    + " templates in " + cloneMs + " ms; index: " + shape + ")"));
            Files.writeString(Paths.get("target", "cohort-bench.md"), text.toString());
        }
        Files.writeString(Paths.get("target", "cohort-bench.md"), text.toString());
        System.out.println(text);
    }

    private String timed(String app, Map<String, String> defs, int reps, String what) throws Exception {
        StringBuilder report = new StringBuilder("\n### " + what + " — person documents: "
                + persons(TestStack.elasticsearch()) + "; /proc/loadavg before: "
                + Files.readString(Paths.get("/proc/loadavg")).trim() + "\n");
        for (String user : List.of("admin.amstel", "platform.admin")) {
            report.append("\n").append(user).append(":\n\n| definition | count | client p50 ms | client p95 ms"
                    + " | server p50 ms | server p95 ms |\n|---|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, String> d : defs.entrySet()) {
                String body = "{\"indexDate\":\"2025-01-01\",\"criteria\":" + d.getValue() + "}";
                List<Long> client = new ArrayList<>();
                List<Long> server = new ArrayList<>();
                JsonNode last = null;
                for (int i = 0; i < reps + 3; i++) {
                    long s = System.nanoTime();
                    last = count(app, user, body);
                    if (i >= 3) {
                        client.add((System.nanoTime() - s) / 1_000_000);
                        server.add(last.path("tookMs").asLong());
                    }
                }
                report.append("| ").append(d.getKey()).append(" | ").append(last.path("count").asText())
                        .append(" | ").append(pct(client, 50)).append(" | ").append(pct(client, 95)).append(" | ")
                        .append(pct(server, 50)).append(" | ").append(pct(server, 95)).append(" |\n");
            }
        }
        report.append("\n/proc/loadavg after: ").append(Files.readString(Paths.get("/proc/loadavg")).trim())
                .append("\n");
        System.out.println(report);
        return report.toString();
    }

    private static String persons(String es) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es + "/meridian-persons/_count")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("count").asText();
    }

    private JsonNode count(String app, String user, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/api/cohorts/count"))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token(user))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, Long> tokenAt = new LinkedHashMap<>();

    private String token(String user) throws Exception {
        if (!tokens.containsKey(user) || System.currentTimeMillis() - tokenAt.get(user) > 120_000) {
            tokens.put(user, TestStack.token(user));
            tokenAt.put(user, System.currentTimeMillis());
        }
        return tokens.get(user);
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
