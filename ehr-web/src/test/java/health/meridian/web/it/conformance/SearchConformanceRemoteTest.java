package health.meridian.web.it.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The search conformance corpus against another FHIR server, for comparison ({@code ./meridian conformance
 * --fhir-url URL}, e.g. a plain HAPI from {@code ./meridian hapi up}): skipped unless
 * {@code -Dconformance.fhir.url} is given; reports the differences (target/conformance/search-report-remote.txt)
 * rather than failing, since the other server is the one being compared.
 */
class SearchConformanceRemoteTest {

    @Test
    void reportAgainstAnotherServer() throws Exception {
        String url = System.getProperty("conformance.fhir.url", "");
        assumeTrue(!url.isBlank(), "set -Dconformance.fhir.url to run the corpus against another server");
        String token = System.getProperty("conformance.token", "");
        SearchConformance.Report report = new SearchConformance(url, token.isBlank() ? null : token).run();
        Path out = Path.of("target", "conformance", "search-report-remote.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, url + ": " + report.summary() + "\n");
        System.out.println(url + ": " + report.summary());
    }
}
