package health.meridian.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The commit→searchable outcomes of a run and their summary line for the report. */
final class FreshnessLog {

    private final List<Double> searchable = new ArrayList<>();
    private final List<Double> pollMillis = new ArrayList<>();
    private int notFound;
    private int createErrors;
    private final long timeoutSeconds;

    FreshnessLog(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    void add(SearchablePoller.Outcome outcome) {
        pollMillis.add(outcome.pollMillis());
        if (outcome.found()) {
            searchable.add(outcome.millis());
        } else {
            notFound++;
        }
    }

    void createFailed() {
        createErrors++;
    }

    int found() {
        return searchable.size();
    }

    double percentile(int p) {
        return LatencyStats.percentile(sorted(searchable), p);
    }

    String summary(String how) {
        double[] polls = sorted(pollMillis);
        String found = searchable.isEmpty() ? "none searchable"
                : String.format(Locale.ROOT, "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms", percentile(50),
                        percentile(95), percentile(99), sorted(searchable)[searchable.size() - 1]);
        return String.format(Locale.ROOT, "%d creates %s: %s; %d not searchable within %d s, %d creates failed; "
                        + "one search took p50 %.0f ms (the resolution)", searchable.size() + notFound + createErrors,
                how, found, notFound, timeoutSeconds, createErrors, LatencyStats.percentile(polls, 50));
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
