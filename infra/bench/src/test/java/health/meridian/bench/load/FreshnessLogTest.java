package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreshnessLogTest {

    @Test
    void percentilesOfTheFoundOnesAndCountsOfTheRest() {
        FreshnessLog log = new FreshnessLog(30);
        for (int ms = 1; ms <= 100; ms++) {
            log.add(new SearchablePoller.Outcome(ms * 10, 2, 20));
        }
        log.add(new SearchablePoller.Outcome(Double.NaN, 150, 20));
        log.createFailed();

        assertThat(log.found()).isEqualTo(100);
        assertThat(log.percentile(50)).isEqualTo(500);
        assertThat(log.percentile(99)).isEqualTo(990);
        assertThat(log.summary("(how)")).isEqualTo("102 creates (how): p50 500 ms, p95 950 ms, p99 990 ms, max 1000 ms; "
                + "1 not searchable within 30 s, 1 creates failed; one search took p50 20 ms (the resolution)");
    }

    @Test
    void nothingFound() {
        FreshnessLog log = new FreshnessLog(5);
        log.add(new SearchablePoller.Outcome(Double.NaN, 3, 12));

        assertThat(log.summary("(how)")).startsWith("1 creates (how): none searchable; 1 not searchable within 5 s");
    }
}
