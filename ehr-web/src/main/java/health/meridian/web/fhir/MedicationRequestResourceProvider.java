package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.MedicationRequest;

/** FHIR MedicationRequest: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class MedicationRequestResourceProvider extends ClinicalResourceProvider<MedicationRequest> {

    @Override
    public Class<MedicationRequest> getResourceType() {
        return MedicationRequest.class;
    }
}
