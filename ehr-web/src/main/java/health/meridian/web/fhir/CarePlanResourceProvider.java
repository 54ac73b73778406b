package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.CarePlan;

/** FHIR CarePlan: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class CarePlanResourceProvider extends RecordResourceProvider<CarePlan> {

    @Override
    public Class<CarePlan> getResourceType() {
        return CarePlan.class;
    }
}
