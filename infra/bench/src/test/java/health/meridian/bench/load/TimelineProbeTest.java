package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.bench.http.FhirResponse;
import org.junit.jupiter.api.Test;

class TimelineProbeTest {

    @Test
    void allPatientsWithEntries() {
        TimelineProbe probe = new TimelineProbe();
        probe.add(new FhirResponse(200, "{\"entries\":[{},{},{}],\"total\":3}", 1));
        probe.add(new FhirResponse(200, "{\"entries\":[{}],\"total\":420}", 1));

        assertThat(probe.allSawEntries()).isTrue();
        assertThat(probe.toString()).isEqualTo("2 of 2 patients showed entries to their clinician (first page 1–3 "
                + "entries, total 3–420)");
    }

    @Test
    void anEmptyPageIsCalledOut() {
        TimelineProbe probe = new TimelineProbe();
        probe.add(new FhirResponse(200, "{\"entries\":[{}],\"total\":1}", 1));
        probe.add(new FhirResponse(200, "{\"entries\":[],\"total\":0}", 1));
        probe.add(new FhirResponse(503, "down", 1));

        assertThat(probe.allSawEntries()).isFalse();
        assertThat(probe.toString()).startsWith("1 of 3 patients showed entries").contains("1 empty and 1 failed");
    }
}
