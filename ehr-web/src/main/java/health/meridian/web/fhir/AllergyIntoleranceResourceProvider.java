package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.AllergyIntolerance;

/** FHIR AllergyIntolerance: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class AllergyIntoleranceResourceProvider extends ClinicalResourceProvider<AllergyIntolerance> {

    @Override
    public Class<AllergyIntolerance> getResourceType() {
        return AllergyIntolerance.class;
    }
}
