package health.meridian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.bench.http.FhirResponse;
import java.io.IOException;

/**
 * What the clinicians saw in the probes of the timeline's first page: how many patients showed entries, the
 * smallest and largest first page and total. A patient with no entries means the clinician lacks the care
 * relationship (or the mirror is behind), and the measured latencies would be those of an empty answer.
 */
final class TimelineProbe {

    /** The web app's page size (ehr-web/src/main/frontend/src/timeline-model.ts, PAGE_SIZE). */
    static final int PAGE_SIZE = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private int patients;
    private int empty;
    private int failed;
    private int minEntries = Integer.MAX_VALUE;
    private int maxEntries;
    private long minTotal = Long.MAX_VALUE;
    private long maxTotal;

    void add(FhirResponse r) {
        patients++;
        if (!r.ok()) {
            failed++;
            return;
        }
        try {
            JsonNode page = JSON.readTree(r.body());
            add(page.path("entries").size(), page.path("total").asLong(0));
        } catch (IOException e) {
            failed++;
        }
    }

    void add(int entries, long total) {
        if (entries == 0) {
            empty++;
        }
        minEntries = Math.min(minEntries, entries);
        maxEntries = Math.max(maxEntries, entries);
        minTotal = Math.min(minTotal, total);
        maxTotal = Math.max(maxTotal, total);
    }

    boolean allSawEntries() {
        return patients > 0 && empty == 0 && failed == 0;
    }

    @Override
    public String toString() {
        if (patients == failed) {
            return patients + " patients probed, no page answered";
        }
        String seen = String.format("%d of %d patients showed entries to their clinician (first page %d–%d entries, "
                + "total %d–%d)", patients - empty - failed, patients, minEntries, maxEntries, minTotal, maxTotal);
        return allSawEntries() ? seen : seen + "; **" + empty + " empty and " + failed + " failed: the latencies "
                + "include answers without entries**";
    }
}
