package health.meridian.bench.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.bench.http.FhirClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.http.TokenSource;
import health.meridian.bench.synthea.ImportPayload;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Decides whether a file that was in flight when an import crashed was committed. A transaction is all or nothing,
 * so its Patient exists exactly when the whole bundle does. Meridian's search reads the Elasticsearch mirror, so the
 * probe first waits (bounded) until the outbox is empty (the platform admin's {@code /api/admin/health} reports its
 * depth; the unauthenticated {@code /health/ready} carries no figures).
 */
public final class CommitProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIRROR_WAIT = Duration.ofSeconds(120);

    private final String meridianAppUrl;
    private final TokenSource operator;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * {@code meridianAppUrl} null: another FHIR server, whose search is assumed to read its own writes;
     * {@code operator}: tokens of a platform admin, who may read the outbox depth.
     */
    public CommitProbe(String meridianAppUrl, TokenSource operator) {
        this.meridianAppUrl = meridianAppUrl;
        this.operator = operator;
    }

    public boolean committed(FhirClient client, String patientIdentifier) {
        waitForMirror();
        String query = "Patient?identifier=" + URLEncoder.encode(ImportPayload.SYNTHEA_SYSTEM + "|" + patientIdentifier,
                StandardCharsets.UTF_8);
        FhirResponse r = client.get(query);
        if (!r.ok()) {
            throw new health.meridian.bench.BenchException("BENCH-0310 cannot check whether patient " + patientIdentifier
                    + " was imported: HTTP " + r.status() + " " + r.body());
        }
        try {
            JsonNode bundle = JSON.readTree(r.body());
            return bundle.path("total").asInt(0) > 0 || bundle.path("entry").size() > 0;
        } catch (IOException e) {
            throw new health.meridian.bench.BenchException("BENCH-0311 search answer is not JSON: " + e.getMessage(), e);
        }
    }

    /** Waits until Meridian's outbox depth is 0, so the search sees every committed write. */
    public void waitForMirror() {
        if (meridianAppUrl == null) {
            return;
        }
        long deadline = System.nanoTime() + MIRROR_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (outboxDepth() == 0) {
                return;
            }
            sleep(250);
        }
        throw new health.meridian.bench.BenchException("BENCH-0312 the search mirror did not catch up within "
                + MIRROR_WAIT.toSeconds() + " s; cannot tell whether in-flight files were committed");
    }

    /** Meridian's outbox depth from /api/admin/health, -1 when unknown. */
    public long outboxDepth() {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(meridianAppUrl + "/api/admin/health"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET();
            operator.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
            HttpRequest request = b.build();
            JsonNode health = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode check : health.path("checks")) {
                if ("search".equals(check.path("name").asText())) {
                    return check.path("data").path("outboxDepth").asLong(-1);
                }
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
