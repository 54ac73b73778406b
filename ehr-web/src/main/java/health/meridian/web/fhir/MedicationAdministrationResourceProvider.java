package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.MedicationAdministration;

/** FHIR MedicationAdministration: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class MedicationAdministrationResourceProvider extends RecordResourceProvider<MedicationAdministration> {

    @Override
    public Class<MedicationAdministration> getResourceType() {
        return MedicationAdministration.class;
    }
}
