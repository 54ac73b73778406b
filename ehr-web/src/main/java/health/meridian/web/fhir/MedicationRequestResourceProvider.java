package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.MedicationRequest;

/** FHIR MedicationRequest: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class MedicationRequestResourceProvider extends RecordResourceProvider<MedicationRequest> {

    @Override
    public Class<MedicationRequest> getResourceType() {
        return MedicationRequest.class;
    }
}
