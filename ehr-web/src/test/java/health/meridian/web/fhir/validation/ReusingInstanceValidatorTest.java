package health.meridian.web.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reusing validator must say exactly what HAPI's stock module says, whatever it validated before: every demo
 * resource and a set of broken ones, interleaved, through both; then the same broken resource again after hundreds of
 * valid ones (a validator that kept state from an earlier call would differ here).
 */
class ReusingInstanceValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static FhirValidator reusing;
    private static FhirValidator stock;

    private static final List<String> BROKEN = List.of(
            "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"weight\"}}",
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"w\"},"
                    + "\"valueQuantity\":{\"value\":70,\"code\":\"kg\"}}",
            "{\"resourceType\":\"Patient\",\"gender\":\"sometimes\",\"birthDate\":\"1970-13-45\"}",
            "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/1\"},\"onsetAge\":{\"value\":\"x\"}}",
            "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\"}");

    @BeforeAll
    static void setUp() {
        reusing = FHIR.newValidator().registerValidatorModule(ResourceValidation.instanceValidator(FHIR));
        stock = FHIR.newValidator().registerValidatorModule(
                ResourceValidation.configure(new FhirInstanceValidator(ResourceValidation.supportChain(FHIR))));
    }

    private static String messages(ValidationResult result) {
        StringBuilder text = new StringBuilder();
        result.getMessages().forEach(m -> text.append(m.getSeverity()).append(' ').append(m.getLocationString())
                .append(' ').append(m.getMessageId()).append(' ').append(m.getMessage()).append('\n'));
        return text.toString();
    }

    private static List<IBaseResource> demoResources() throws IOException {
        List<IBaseResource> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "infra", "demo", "bundles"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(file));
                bundle.getEntry().forEach(e -> all.add(e.getResource()));
            }
        }
        return all;
    }

    @Test
    void reportsWhatHapisStockValidatorReportsForValidAndBrokenResourcesInterleaved() throws IOException {
        List<IBaseResource> all = demoResources();
        assertThat(all).hasSizeGreaterThan(50);
        // every resource type of the demo data, at most 150 resources (the stock validator is the slow one here)
        List<IBaseResource> demo = new ArrayList<>();
        for (int i = 0; i < all.size() && demo.size() < 150; i += Math.max(1, all.size() / 150)) {
            demo.add(all.get(i));
        }
        int brokenSeen = 0;
        for (int i = 0; i < demo.size(); i++) {
            IBaseResource resource = demo.get(i);
            assertThat(messages(reusing.validateWithResult(resource)))
                    .as("%s #%d", resource.fhirType(), i).isEqualTo(messages(stock.validateWithResult(resource)));
            if (i % 10 == 0) {
                String broken = BROKEN.get(brokenSeen++ % BROKEN.size());
                String expected = messages(stock.validateWithResult(broken));
                assertThat(expected).contains("ERROR");
                assertThat(messages(reusing.validateWithResult(broken))).as(broken).isEqualTo(expected);
            }
        }
        for (String broken : BROKEN) {
            assertThat(messages(reusing.validateWithResult(broken))).isEqualTo(messages(stock.validateWithResult(broken)));
        }
    }

    @Test
    void wholeTransactionBundlesGiveTheSameMessages() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("..", "infra", "demo", "bundles"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String json = Files.readString(file);
                assertThat(messages(reusing.validateWithResult(json))).as(file.toString())
                        .isEqualTo(messages(stock.validateWithResult(json)));
            }
        }
    }

    @Test
    void aValidatorIsRetiredAfterItsUsesAndTheNextOneStillWorks() {
        String broken = BROKEN.get(0);
        String expected = messages(stock.validateWithResult(broken));
        for (int i = 0; i < ReusingInstanceValidator.USES + 5; i++) {
            assertThat(messages(reusing.validateWithResult(broken))).isEqualTo(expected);
        }
    }
}
