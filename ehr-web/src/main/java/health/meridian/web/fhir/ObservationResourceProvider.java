package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Observation;

/** FHIR Observation: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ObservationResourceProvider extends ClinicalResourceProvider<Observation> {

    @Override
    public Class<Observation> getResourceType() {
        return Observation.class;
    }
}
