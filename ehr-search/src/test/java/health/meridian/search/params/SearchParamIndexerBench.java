package health.meridian.search.params;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in ({@code -Dbench.params=ROUNDS}): the search-parameter derivation of the Synthea sample by the FHIRPath
 * engine alone and by the compiled plan, interleaved in one JVM (round 0 warms both up), as CPU time of this thread.
 */
@EnabledIfSystemProperty(named = "bench.params", matches = "[0-9]+")
class SearchParamIndexerBench {

    @Test
    void engineAloneAgainstTheCompiledPlan() throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        List<IBaseResource> rs = new ArrayList<>();
        try (var files = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of(
                "../ehr-web/src/test/resources/synthea/30-42"), "*.json.gz")) {
            for (var file : files) {
                try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))) {
                    fhir.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, in).getEntry()
                            .forEach(e -> rs.add(e.getResource()));
                }
            }
        }
        SearchParamIndexer engine = SearchParamIndexer.engineOnly(fhir);
        SearchParamIndexer compiled = SearchParamIndexer.of(fhir);
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        Instant at = Instant.now();
        long[] total = new long[2];
        int rounds = Integer.getInteger("bench.params");
        for (int round = 0; round <= rounds; round++) {
            long[] t = new long[2];
            for (int which = 0; which < 2; which++) {
                SearchParamIndexer indexer = (round + which) % 2 == 0 ? engine : compiled;
                long t0 = cpu.getCurrentThreadCpuTime();
                for (IBaseResource r : rs) {
                    indexer.fields(r, at);
                }
                t[indexer == engine ? 0 : 1] = cpu.getCurrentThreadCpuTime() - t0;
            }
            if (round > 0) {
                total[0] += t[0];
                total[1] += t[1];
            }
            System.out.printf("round %d: engine %.0f us, plan %.0f us CPU per resource%n", round,
                    t[0] / 1e3 / rs.size(), t[1] / 1e3 / rs.size());
        }
        System.out.printf("%d resources x %d rounds: engine %.0f us, plan %.0f us CPU per resource, ratio %.2f%n",
                rs.size(), rounds, total[0] / 1e3 / rs.size() / rounds, total[1] / 1e3 / rs.size() / rounds,
                (double) total[0] / total[1]);
    }
}
