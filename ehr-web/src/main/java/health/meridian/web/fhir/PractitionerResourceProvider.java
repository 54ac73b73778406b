package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Practitioner;

/** FHIR Practitioner: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class PractitionerResourceProvider extends ClinicalResourceProvider<Practitioner> {

    @Override
    public Class<Practitioner> getResourceType() {
        return Practitioner.class;
    }
}
