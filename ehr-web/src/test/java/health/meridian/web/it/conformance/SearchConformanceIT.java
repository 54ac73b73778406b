package health.meridian.web.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The search conformance corpus (src/test/resources/conformance/search-cases.json) against the real server: every
 * case's result set must be the one the R4 search specification gives. The report is written to
 * target/conformance/search-report.txt.
 */
@ExtendWith(ArquillianExtension.class)
class SearchConformanceIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @Test
    void everySearchCaseAnswersAsTheR4SpecificationSays() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        SearchConformance.Report report = new SearchConformance(app + "/fhir", TestStack.token("dr.jansen")).run();
        Path out = Path.of("target", "conformance", "search-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.summary() + "\nknown differences from plain R4 (meridianOnly):\n  "
                + String.join("\n  ", report.knownDifferences()) + "\n");
        assertThat(report.cases()).isGreaterThan(200);
        assertThat(report.failures()).as(report.summary()).isEmpty();
    }
}
