package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadWorkloadTest {

    private static final List<PatientSample> SAMPLES = List.of(
            new PatientSample(0, "p1", "Jansen", "female", "1970-01-02", "o1", "http://loinc.org|1-1"),
            new PatientSample(1, "p2", "Müller", "male", "1980-03-04", "o2", "http://loinc.org|2-2"));

    /** Every sample meets each of the five operations, each about as often as the others. */
    @Test
    void theMixedWorkloadTakesEveryOperationForEverySampleInTurn() {
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 20).forEach(i -> seen.add(ReadWorkload.mixed(SAMPLES.get(i % 2), i, 2)));
        assertThat(seen).hasSize(10).contains("Patient/p1", "Observation/o2", "Patient?name=M%C3%BCller",
                "Observation?patient=p1&code=http%3A%2F%2Floinc.org%7C1-1",
                "Patient?birthdate=1980-03-04&gender=male");
    }
}
