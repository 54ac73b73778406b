package health.meridian.web.it.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import health.meridian.web.fhir.validation.ResourceValidation;
import org.junit.jupiter.api.Test;

/** The browser tests' chart passes the server's R4 validation (else they would fail on a 422, far from the cause). */
class ChartDataValidityTest {

    @Test
    void theChartBundleConformsToTheR4BaseStructures() {
        FhirContext fhir = FhirContext.forR4();
        var validator = fhir.newValidator().registerValidatorModule(ResourceValidation.instanceValidator(fhir));
        String bundle = ChartData.chartBundle(new ChartData.Patient(null, "Valid", "Anna", "urn:meridian:test", "v-1"));
        assertThat(validator.validateWithResult(bundle).getMessages().stream().filter(ResourceValidation::isError)
                .map(SingleValidationMessage::getMessage)).isEmpty();
    }
}
