package health.meridian.bench.load;

import health.meridian.bench.http.FhirClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.http.Target;
import health.meridian.bench.synthea.OperationOutcomeText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** FHIR reads and searches over the imported samples, each request acting in the sample's own tenant. */
public final class ReadWorkload {

    private final Target target;
    private final List<PatientSample> samples;
    private final LoadRunner runner;

    public ReadWorkload(Target target, List<PatientSample> samples, LoadRunner runner) {
        this.target = target;
        this.samples = samples;
        this.runner = runner;
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
        results.add(everything());
        results.add(LatencyStats.skipped("timeline first page", "not measured: no timeline endpoint on the server yet"));
        results.add(LatencyStats.skipped("cohort count", "not measured: no cohort endpoint on the server yet"));
        return results;
    }

    private LatencyStats measure(String name, Function<PatientSample, String> path) {
        System.out.println("meridian: bench: " + name);
        return runner.run(name, i -> {
            PatientSample s = samples.get(i % samples.size());
            return client(s).get(path.apply(s));
        });
    }

    /** Patient/$everything when the server has it; one probe first, skipped with the answer on a 4xx. */
    private LatencyStats everything() {
        PatientSample first = samples.get(0);
        FhirResponse probe = client(first).get("Patient/" + first.patientId() + "/$everything");
        if (probe.status() >= 400 && probe.status() < 500) {
            return LatencyStats.skipped("Patient/$everything", "skipped: HTTP " + probe.status() + " "
                    + OperationOutcomeText.of(probe.body()).replace('|', '/'));
        }
        return measure("Patient/$everything", s -> "Patient/" + s.patientId() + "/$everything");
    }

    private FhirClient client(PatientSample s) {
        return target.tenants().get(s.tenant() % target.tenants().size()).client();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
