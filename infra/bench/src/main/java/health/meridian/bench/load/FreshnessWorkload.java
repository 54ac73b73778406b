package health.meridian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.http.FhirClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.http.Target;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Commit→searchable (issue #4): creates one Observation at a time for an imported patient (FHIR create, as the
 * tenant's clinician) and, from the 201 on, searches {@code Observation?_id=<id>} without any read-your-writes
 * option until the answer contains it. Works on any FHIR server; on Meridian it measures the outbox → _bulk →
 * refresh path of the search mirror.
 */
public final class FreshnessWorkload {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final long PAUSE_MILLIS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;
    private final List<PatientSample> samples;
    private final int creates;

    public FreshnessWorkload(Target target, List<PatientSample> samples, int creates) {
        this.target = target;
        this.samples = samples;
        this.creates = creates;
    }

    /** The report line; "skipped: ..." with the server's answer when the first create is refused with a 4xx. */
    public String run() {
        if (creates <= 0) {
            return "not measured (--freshness-samples 0)";
        }
        System.out.println("meridian: bench: commit→searchable, " + creates + " creates");
        SearchablePoller poller = new SearchablePoller(System::nanoTime, FreshnessWorkload::sleep, TIMEOUT, PAUSE_MILLIS);
        FreshnessLog log = new FreshnessLog(TIMEOUT.toSeconds());
        for (int i = 0; i < creates; i++) {
            Optional<String> refused = createAndFind(samples.get(i % samples.size()), i == 0, poller, log);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        return log.summary("(Observation, one at a time) until `Observation?_id=` found them");
    }

    /** One sample; the skip note when it is the first and the server refused the create with a 4xx. */
    private Optional<String> createAndFind(PatientSample s, boolean first, SearchablePoller poller, FreshnessLog log) {
        FhirClient client = target.tenants().get(s.tenant() % target.tenants().size()).client();
        FhirResponse created = client.create("Observation", heartRate(s.patientId()));
        long committedAt = System.nanoTime();
        Optional<LatencyStats> refused = first ? LatencyStats.refusedBy("commit→searchable", created) : Optional.empty();
        if (refused.isPresent()) {
            return refused.map(LatencyStats::note);
        }
        Optional<String> id = idOf(created);
        if (id.isEmpty()) {
            log.createFailed();
        } else {
            log.add(poller.await(committedAt, () -> search(client, id.get())));
        }
        return Optional.empty();
    }

    private static SearchablePoller.Poll search(FhirClient client, String id) {
        FhirResponse r = client.get("Observation?_id=" + id);
        return new SearchablePoller.Poll(r.ok() && contains(r.body(), id), r.millis());
    }

    static boolean contains(String bundle, String id) {
        try {
            for (JsonNode entry : JSON.readTree(bundle).path("entry")) {
                if (id.equals(entry.path("resource").path("id").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The id of a created resource: 201 with the stored resource in the body. */
    static Optional<String> idOf(FhirResponse created) {
        if (created.status() != 201) {
            return Optional.empty();
        }
        try {
            String id = JSON.readTree(created.body()).path("id").asText("");
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String heartRate(String patientId) {
        ObjectNode obs = JSON.createObjectNode().put("resourceType", "Observation").put("status", "final");
        obs.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", "vital-signs");
        obs.putObject("code").putArray("coding").addObject().put("system", "http://loinc.org").put("code", "8867-4")
                .put("display", "Heart rate");
        obs.putObject("subject").put("reference", "Patient/" + patientId);
        obs.put("effectiveDateTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        obs.putObject("valueQuantity").put("value", 72).put("unit", "/min").put("system", "http://unitsofmeasure.org")
                .put("code", "/min");
        return obs.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
