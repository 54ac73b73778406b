package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Patient;

/** FHIR Patient: the interactions and search of {@link RecordResourceProvider}; $everything is its own class. */
@Dependent
public class PatientResourceProvider extends RecordResourceProvider<Patient> {

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }
}
