package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/** Validates resources against the R4 base structures with HAPI's instance validator (no IG, no terminology server). */
public final class R4Validation {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirValidator validator;

    private R4Validation() {
    }

    /** Error and fatal messages as "location: message" (empty when the resource is valid). */
    public static synchronized List<String> errors(String json) {
        if (validator == null) {
            ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR), new CommonCodeSystemsTerminologyService(FHIR),
                    new SnapshotGeneratingValidationSupport(FHIR));
            validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        }
        return validator.validateWithResult(json).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                // a record's meta.profile naming a profile this validator does not hold (Synthea's US Core ones) is
                // the record's claim, checked against the base R4 definitions here, not an error of the answer
                .filter(m -> !(m.getMessage().startsWith("Profile reference '")
                        && m.getMessage().endsWith("has not been checked because it could not be found")))
                .map(R4Validation::text).toList();
    }

    private static String text(SingleValidationMessage m) {
        return m.getLocationString() + ": " + m.getMessage();
    }
}
