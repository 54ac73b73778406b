package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;

/** FHIR ExplanationOfBenefit: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ExplanationOfBenefitResourceProvider extends ClinicalResourceProvider<ExplanationOfBenefit> {

    @Override
    public Class<ExplanationOfBenefit> getResourceType() {
        return ExplanationOfBenefit.class;
    }
}
