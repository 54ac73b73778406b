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
 * through the FHIR API (transaction bundles of 50 patients), waits for the mirror, then times each definition
 * (warm-up, then repetitions) as the tenant admin: wall time at the client and the server's tookMs, p50/p95.
 * Only runs when the property is set. Checks the count of the first definition against the SQL oracle. It adds
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

        StringBuilder report = new StringBuilder("| definition | count | client p50 ms | client p95 ms | server p50 ms"
                + " | server p95 ms |\n|---|---|---|---|---|---|\n");
        boolean first = true;
        for (Map.Entry<String, String> d : defs.entrySet()) {
            String body = "{\"indexDate\":\"2025-01-01\",\"criteria\":" + d.getValue() + "}";
            List<Long> client = new ArrayList<>();
            List<Long> server = new ArrayList<>();
            JsonNode last = null;
            for (int i = 0; i < reps + 3; i++) {
                long s = System.nanoTime();
                last = count(app, body);
                if (i >= 3) {
                    client.add((System.nanoTime() - s) / 1_000_000);
                    server.add(last.path("tookMs").asLong());
                }
            }
            if (first) {
                int oracle = SqlOracle.persons("nl-amstel", "(" + SqlOracle.coded("Condition", sct,
                        CohortPopulation.DIABETES, null, null) + ") INTERSECT " + SqlOracle.population()).size();
                assertThat(last.path("count").asText()).isEqualTo(String.valueOf(oracle));
                first = false;
            }
            report.append("| ").append(d.getKey()).append(" | ").append(last.path("count").asText()).append(" | ")
                    .append(pct(client, 50)).append(" | ").append(pct(client, 95)).append(" | ")
                    .append(pct(server, 50)).append(" | ").append(pct(server, 95)).append(" |\n");
        }
        int population = SqlOracle.persons("nl-amstel", SqlOracle.population()).size();
        String text = "Population of nl-amstel: " + population + " patients (" + n + " loaded by this run in "
                + loadMs + " ms); " + reps + " timed runs per definition after 3 warm-up runs, sequential.\n\n" + report;
        Path out = Paths.get("target", "cohort-bench.md");
        Files.writeString(out, text);
        System.out.println(text);
    }

    private JsonNode count(String app, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app + "/api/cohorts/count"))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String cached;
    private long cachedAt;

    private String token() throws Exception {
        if (cached == null || System.currentTimeMillis() - cachedAt > 120_000) {
            cached = TestStack.token("admin.amstel");
            cachedAt = System.currentTimeMillis();
        }
        return cached;
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
