package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;

/** FHIR ExplanationOfBenefit: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ExplanationOfBenefitResourceProvider extends RecordResourceProvider<ExplanationOfBenefit> {

    @Override
    public Class<ExplanationOfBenefit> getResourceType() {
        return ExplanationOfBenefit.class;
    }
}
