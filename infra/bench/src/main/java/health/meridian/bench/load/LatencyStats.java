package health.meridian.bench.load;

import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.synthea.OperationOutcomeText;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Latency percentiles (nearest rank) of successful requests, with counts, errors and throughput. */
public record LatencyStats(String operation, int users, int requests, int errors, double p50, double p95, double p99,
                           double throughput, String note) {

    /** The note of Meridian's own JSON API operations when the target is a plain FHIR server. */
    public static final String NOT_MERIDIAN = "not measured: Meridian's own JSON API, measured only against the local "
            + "Meridian (not with --token or --no-auth)";

    public static LatencyStats of(String operation, int users, List<Double> millis, int errors, double wallSeconds) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new LatencyStats(operation, users, sorted.length + errors, errors, percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), wallSeconds <= 0 ? 0 : sorted.length / wallSeconds, "");
    }

    public static LatencyStats skipped(String operation, String note) {
        return new LatencyStats(operation, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, note);
    }

    /** The operation skipped with the server's answer when its probe was answered with a 4xx, else empty. */
    public static Optional<LatencyStats> refusedBy(String operation, FhirResponse probe) {
        if (probe.status() < 400 || probe.status() >= 500) {
            return Optional.empty();
        }
        return Optional.of(skipped(operation, "skipped: HTTP " + probe.status() + " "
                + OperationOutcomeText.of(probe.body()).replace('|', '/')));
    }

    public boolean measured() {
        return note.isEmpty();
    }

    public static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public String toString() {
        return Arrays.toString(new Object[] {operation, users, requests, errors, p50, p95, p99, throughput, note});
    }
}
