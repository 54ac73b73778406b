package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Observation;

/** FHIR Observation: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ObservationResourceProvider extends RecordResourceProvider<Observation> {

    @Override
    public Class<Observation> getResourceType() {
        return Observation.class;
    }
}
