package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.PractitionerRole;

/** FHIR PractitionerRole: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class PractitionerRoleResourceProvider extends ClinicalResourceProvider<PractitionerRole> {

    @Override
    public Class<PractitionerRole> getResourceType() {
        return PractitionerRole.class;
    }
}
