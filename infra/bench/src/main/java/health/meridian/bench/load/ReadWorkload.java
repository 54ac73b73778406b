package health.meridian.bench.load;

import health.meridian.bench.http.FhirClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.http.Target;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** FHIR reads and searches and the timeline over the imported samples, each request in the sample's own tenant. */
public final class ReadWorkload {

    private final Target target;
    private final List<PatientSample> samples;
    private final LoadRunner runner;
    private final List<String> notes = new ArrayList<>();
    private final String largeFamily;

    public ReadWorkload(Target target, List<PatientSample> samples, LoadRunner runner) {
        this(target, samples, runner, null);
    }

    /**
     * @param largeFamily the family name of a patient with a long record already on the server (e.g. the largest
     *                    Synthea bundle, imported with {@code ./meridian import}); null to leave that operation out
     */
    public ReadWorkload(Target target, List<PatientSample> samples, LoadRunner runner, String largeFamily) {
        this.target = target;
        this.samples = samples;
        this.runner = runner;
        this.largeFamily = largeFamily;
    }

    public List<LatencyStats> run() {
        List<LatencyStats> results = new ArrayList<>();
        results.add(measure("read Patient/{id}", s -> "Patient/" + s.patientId()));
        results.add(measure("read Observation/{id}", s -> "Observation/" + s.observationId()));
        results.add(measure("search Patient?name", s -> "Patient?name=" + enc(s.family())));
        results.add(measure("search Observation?patient&code",
                s -> "Observation?patient=" + s.patientId() + "&code=" + enc(s.observationCode())));
        results.add(measure("search Patient?birthdate&gender",
                s -> "Patient?birthdate=" + s.birthDate() + "&gender=" + s.gender()));
        String mixed = "mixed reads and searches";
        System.out.println("meridian: bench: " + mixed);
        results.add(runner.run(mixed, i -> {
            PatientSample s = samples.get(i % samples.size());
            return client(s).get(mixed(s, i, samples.size()));
        }));
        results.add(everything());
        results.add(timeline());
        if (largeFamily != null) {
            results.add(largeTimeline());
        }
        return results;
    }

    /**
     * The five reads and searches above taken in turn, request by request (issue #21: audited reads/s at saturation
     * under a mixed read/search workload): the request number picks the sample and, divided by the sample count,
     * the operation, so every sample meets every operation.
     */
    static String mixed(PatientSample s, int request, int sampleCount) {
        return switch ((request / Math.max(1, sampleCount)) % 5) {
            case 0 -> "Patient/" + s.patientId();
            case 1 -> "Observation/" + s.observationId();
            case 2 -> "Patient?name=" + enc(s.family());
            case 3 -> "Observation?patient=" + s.patientId() + "&code=" + enc(s.observationCode());
            default -> "Patient?birthdate=" + s.birthDate() + "&gender=" + s.gender();
        };
    }

    /** Findings of the probes (what the clinicians saw on the timeline). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private LatencyStats measure(String name, Function<PatientSample, String> path) {
        return measureCalls(name, s -> client(s).get(path.apply(s)));
    }

    private LatencyStats measureCalls(String name, Function<PatientSample, FhirResponse> call) {
        System.out.println("meridian: bench: " + name);
        return runner.run(name, i -> call.apply(samples.get(i % samples.size())));
    }

    /** Patient/$everything when the server has it; one probe first, skipped with the answer on a 4xx. */
    private LatencyStats everything() {
        String name = "Patient/$everything";
        PatientSample first = samples.get(0);
        return LatencyStats.refusedBy(name, client(first).get("Patient/" + first.patientId() + "/$everything"))
                .orElseGet(() -> measure(name, s -> "Patient/" + s.patientId() + "/$everything"));
    }

    /**
     * The timeline's first page as the web app asks for it ({@code size=50}, no filters), as the clinician of the
     * patient's tenant (who imported, i.e. registered, the patient and so has the care relationship of
     * registration). Every sample is probed first: a 4xx skips the operation with the server's answer, and
     * the entries each clinician saw go into the report.
     */
    private LatencyStats timeline() {
        String name = "timeline first page";
        if (target.apis().isEmpty()) {
            return LatencyStats.skipped(name, LatencyStats.NOT_MERIDIAN);
        }
        TimelineProbe probe = new TimelineProbe();
        for (PatientSample s : samples) {
            FhirResponse r = timelineOf(s);
            var refused = LatencyStats.refusedBy(name, r);
            if (refused.isPresent()) {
                return refused.get();
            }
            probe.add(r);
        }
        notes.add(name + " (`GET /api/patients/{id}/timeline?size=" + TimelineProbe.PAGE_SIZE + "`): " + probe);
        return measureCalls(name, this::timelineOf);
    }

    /**
     * The timeline's first page of one long record (issues #4 and #6 ask for a patient with at least 5,000
     * entries): the patient is found by family name in each tenant by that tenant's clinician; its total is noted.
     */
    private LatencyStats largeTimeline() {
        String name = "timeline first page, large record";
        if (target.apis().isEmpty()) {
            return LatencyStats.skipped(name, LatencyStats.NOT_MERIDIAN);
        }
        for (int t = 0; t < target.tenants().size(); t++) {
            FhirResponse found = target.tenants().get(t).client().get("Patient?family=" + enc(largeFamily));
            String id = found.ok() ? firstId(found.body()) : null;
            if (id == null) {
                continue;
            }
            var api = target.apis().get(t % target.apis().size()).clinician();
            String path = "patients/" + enc(id) + "/timeline?size=" + TimelineProbe.PAGE_SIZE;
            FhirResponse probe = api.get(path);
            var refused = LatencyStats.refusedBy(name, probe);
            if (refused.isPresent()) {
                return refused.get();
            }
            TimelineProbe seen = new TimelineProbe();
            seen.add(probe);
            notes.add(name + " (family " + largeFamily + ", tenant " + t + "): " + seen);
            System.out.println("meridian: bench: " + name);
            return runner.run(name, i -> api.get(path));
        }
        return LatencyStats.skipped(name, "not measured: no patient with family " + largeFamily
                + " on the server (import the largest Synthea bundle first)");
    }

    private static String firstId(String bundle) {
        try {
            var entries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle).path("entry");
            return entries.isEmpty() ? null : entries.path(0).path("resource").path("id").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private FhirResponse timelineOf(PatientSample s) {
        return target.apis().get(s.tenant() % target.apis().size()).clinician()
                .get("patients/" + enc(s.patientId()) + "/timeline?size=" + TimelineProbe.PAGE_SIZE);
    }

    private FhirClient client(PatientSample s) {
        return target.tenants().get(s.tenant() % target.tenants().size()).client();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
