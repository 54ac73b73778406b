package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.CarePlan;

/** FHIR CarePlan: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class CarePlanResourceProvider extends ClinicalResourceProvider<CarePlan> {

    @Override
    public Class<CarePlan> getResourceType() {
        return CarePlan.class;
    }
}
