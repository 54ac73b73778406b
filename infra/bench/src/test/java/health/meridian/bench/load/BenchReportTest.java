package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void measuredAndSkippedOperationsFindingsAndFreshnessGoIntoTheSection() {
        LatencyStats timeline = LatencyStats.of("timeline first page", 2, List.of(10.0, 20.0, 30.0), 1, 1.5);
        LatencyStats cohort = LatencyStats.skipped("cohort count: condition", "skipped: HTTP 403 EHR-0821");
        BenchReport report = new BenchReport("try", "context", List.of(new ImportResult(1, 2, 100, 10, 0)),
                List.of(timeline, cohort), List.of("cohort count: condition, x: nl-amstel (admin.amstel) <5"),
                "n/a", "outbox depth 0", "50 creates: p50 300 ms");

        String md = report.markdown();

        assertThat(md).contains("| timeline first page | 2 | 4 | 1 | 20.0 | 30.0 | 30.0 | 2.0 |")
                .contains("| cohort count: condition | – | – | – | – | – | – | – |")
                .contains("- cohort count: condition: skipped: HTTP 403 EHR-0821")
                .contains("- cohort count: condition, x: nl-amstel (admin.amstel) <5")
                .contains("- Mirror freshness: outbox depth 0\n- Commit→searchable: 50 creates: p50 300 ms\n");
    }

    @Test
    void aRerunReplacesItsOwnSectionOnly() {
        BenchReport report = new BenchReport("try", "c", List.of(), List.of(), List.of(), "n/a", "m", "f");
        String doc = "# B\n\n<!-- bench:other:begin -->\nX<!-- bench:other:end -->\n\n<!-- bench:try:begin -->\nold"
                + "<!-- bench:try:end -->\ntail\n";

        String out = report.replaceSection(doc, "new\n");

        assertThat(out).contains("<!-- bench:other:begin -->\nX<!-- bench:other:end -->")
                .contains("<!-- bench:try:begin -->\nnew\n<!-- bench:try:end -->\ntail").doesNotContain("old");
    }
}
