package health.meridian.web.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResourceValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static FhirValidator validator;

    @BeforeAll
    static void setUp() {
        validator = FHIR.newValidator().registerValidatorModule(ResourceValidation.instanceValidator(FHIR));
    }

    private static List<String> errors(String json) {
        ValidationResult result = validator.validateWithResult(json);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::getMessage).toList();
    }

    @Test
    void aSyntheaStyleObservationWithUsCoreProfileAndSnomedCodesIsValid() {
        String obs = """
                {"resourceType":"Observation","meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"]},
                 "status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c/Hemoglobin.total in Blood"}]},
                 "subject":{"reference":"urn:uuid:8a3f2d7e-0000-4000-8000-000000000001"},
                 "effectiveDateTime":"2024-03-01T10:00:00+01:00",
                 "valueQuantity":{"value":8.4,"unit":"%","system":"http://unitsofmeasure.org","code":"%"},
                 "extension":[{"url":"http://example.org/unknown-extension","valueString":"x"}]}""";
        assertThat(errors(obs)).isEmpty();
    }

    @Test
    void aMissingMandatoryElementIsAnError() {
        String obs = """
                {"resourceType":"Observation","code":{"text":"weight"}}""";
        assertThat(errors(obs)).anyMatch(m -> m.contains("Observation.status"));
    }

    @Test
    void aBrokenInvariantIsAnError() {
        // obs-7 / qty-3: a Quantity with a code must say which system it is from.
        String obs = """
                {"resourceType":"Observation","status":"final","code":{"text":"weight"},
                 "valueQuantity":{"value":70,"code":"kg"}}""";
        assertThat(errors(obs)).anyMatch(m -> m.contains("qty-3"));
    }

    @Test
    void aPatientContactWithNothingInItBreaksPat1() {
        String patient = """
                {"resourceType":"Patient","contact":[{"gender":"female"}]}""";
        assertThat(errors(patient)).anyMatch(m -> m.contains("pat-1"));
    }

    @Test
    void aTransactionBundleIsValidatedEntryByEntry() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:8a3f2d7e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","active":true},
                  "request":{"method":"POST","url":"Patient"}},
                 {"fullUrl":"urn:uuid:8a3f2d7e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","code":{"text":"x"},
                  "subject":{"reference":"urn:uuid:8a3f2d7e-0000-4000-8000-000000000001"}},
                  "request":{"method":"POST","url":"Observation"}}]}""";
        assertThat(errors(bundle)).anyMatch(m -> m.contains("status"));
    }
}
