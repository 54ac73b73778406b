package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.MedicationAdministration;

/** FHIR MedicationAdministration: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class MedicationAdministrationResourceProvider extends ClinicalResourceProvider<MedicationAdministration> {

    @Override
    public Class<MedicationAdministration> getResourceType() {
        return MedicationAdministration.class;
    }
}
