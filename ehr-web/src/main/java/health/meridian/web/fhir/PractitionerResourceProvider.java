package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Practitioner;

/** FHIR Practitioner: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class PractitionerResourceProvider extends RecordResourceProvider<Practitioner> {

    @Override
    public Class<Practitioner> getResourceType() {
        return Practitioner.class;
    }
}
