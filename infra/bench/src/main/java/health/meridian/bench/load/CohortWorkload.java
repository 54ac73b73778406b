package health.meridian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.bench.http.ApiClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.http.TenantApi;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Cohort counts ({@code POST /api/cohorts/count}) as the tenant admins, request i in tenant i mod n. Per
 * definition one probe per tenant first (its count goes into the report; a 4xx skips the definition with the
 * server's answer), then the usual warm-up and rounds. The count is over the tenant's whole population (demo
 * patients and earlier runs included), published with the server's small-number suppression ("<5").
 */
public final class CohortWorkload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<TenantApi> apis;
    private final LoadRunner runner;
    private final LocalDate indexDate;
    private final List<String> notes = new ArrayList<>();

    public CohortWorkload(List<TenantApi> apis, LoadRunner runner, LocalDate indexDate) {
        this.apis = apis.stream().filter(a -> a.admin().isPresent()).toList();
        this.runner = runner;
        this.indexDate = indexDate;
    }

    public List<LatencyStats> run() {
        List<LatencyStats> results = new ArrayList<>();
        for (CohortDefinitions.Definition d : CohortDefinitions.standard()) {
            results.add(apis.isEmpty()
                    ? LatencyStats.skipped(d.name(), "not measured: no tenant admin (--admins) for the tenants")
                    : measure(d));
        }
        return results;
    }

    /** One line per definition that was answered: the count per tenant. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private LatencyStats measure(CohortDefinitions.Definition d) {
        String body = d.body(indexDate);
        List<String> counts = new ArrayList<>();
        for (TenantApi api : apis) {
            FhirResponse probe = admin(api).post("cohorts/count", body);
            var refused = LatencyStats.refusedBy(d.name(), probe);
            if (refused.isPresent()) {
                return refused.get();
            }
            counts.add(api.tenant() + " (" + admin(api).user() + ") " + countOf(probe));
        }
        notes.add(d.name() + ", " + d.description() + ", index date " + indexDate + ": " + String.join(", ", counts));
        System.out.println("meridian: bench: " + d.name());
        return runner.run(d.name(), i -> admin(apis.get(i % apis.size())).post("cohorts/count", body));
    }

    private static ApiClient admin(TenantApi api) {
        return api.admin().orElseThrow();
    }

    /** The published count ("<5" when suppressed), or what the server answered instead. */
    static String countOf(FhirResponse r) {
        if (!r.ok()) {
            return "HTTP " + r.status();
        }
        try {
            JsonNode count = JSON.readTree(r.body()).path("count");
            return count.isMissingNode() ? "no count in the answer" : count.asText();
        } catch (IOException e) {
            return "answer is not JSON";
        }
    }
}
