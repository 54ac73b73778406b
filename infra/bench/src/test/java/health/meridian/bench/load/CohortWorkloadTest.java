package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.bench.http.FhirResponse;
import org.junit.jupiter.api.Test;

class CohortWorkloadTest {

    @Test
    void thePublishedCountOrWhatCameInstead() {
        assertThat(CohortWorkload.countOf(new FhirResponse(200, "{\"count\":17,\"tookMs\":3}", 1))).isEqualTo("17");
        assertThat(CohortWorkload.countOf(new FhirResponse(200, "{\"count\":\"<5\"}", 1))).isEqualTo("<5");
        assertThat(CohortWorkload.countOf(new FhirResponse(200, "{}", 1))).isEqualTo("no count in the answer");
        assertThat(CohortWorkload.countOf(new FhirResponse(503, "{}", 1))).isEqualTo("HTTP 503");
    }

    @Test
    void aRefusedProbeSkipsTheOperationWithTheServersAnswer() {
        var skipped = LatencyStats.refusedBy("cohort count: condition",
                new FhirResponse(403, "{\"code\":\"EHR-0821\",\"message\":\"no | cohorts\"}", 1));
        assertThat(skipped).isPresent();
        assertThat(skipped.get().measured()).isFalse();
        assertThat(skipped.get().note()).isEqualTo("skipped: HTTP 403 {\"code\":\"EHR-0821\",\"message\":\"no / cohorts\"}");
        assertThat(LatencyStats.refusedBy("x", new FhirResponse(500, "", 1))).isEmpty();
        assertThat(LatencyStats.refusedBy("x", new FhirResponse(200, "", 1))).isEmpty();
    }
}
