package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Medication;

/** FHIR Medication: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class MedicationResourceProvider extends RecordResourceProvider<Medication> {

    @Override
    public Class<Medication> getResourceType() {
        return Medication.class;
    }
}
