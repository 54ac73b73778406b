package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.PractitionerRole;

/** FHIR PractitionerRole: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class PractitionerRoleResourceProvider extends RecordResourceProvider<PractitionerRole> {

    @Override
    public Class<PractitionerRole> getResourceType() {
        return PractitionerRole.class;
    }
}
