package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Medication;

/** FHIR Medication: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class MedicationResourceProvider extends ClinicalResourceProvider<Medication> {

    @Override
    public Class<Medication> getResourceType() {
        return Medication.class;
    }
}
