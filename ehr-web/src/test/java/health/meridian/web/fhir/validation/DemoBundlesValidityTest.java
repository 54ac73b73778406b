package health.meridian.web.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The demo data `./meridian up` loads (infra/demo/bundles) passes the server's R4 validation. */
class DemoBundlesValidityTest {

    @Test
    void everyDemoBundleConformsToTheR4BaseStructures() throws IOException {
        Path dir = Path.of("..", "infra", "demo", "bundles");
        List<Path> bundles;
        try (Stream<Path> files = Files.walk(dir)) {
            bundles = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(bundles).hasSizeGreaterThanOrEqualTo(4);
        FhirContext fhir = FhirContext.forR4();
        var validator = fhir.newValidator().registerValidatorModule(ResourceValidation.instanceValidator(fhir));
        for (Path bundle : bundles) {
            assertThat(validator.validateWithResult(Files.readString(bundle)).getMessages().stream()
                    .filter(ResourceValidation::isError).map(m -> m.getLocationString() + ": " + m.getMessage()))
                    .as(bundle.toString()).isEmpty();
        }
    }
}
