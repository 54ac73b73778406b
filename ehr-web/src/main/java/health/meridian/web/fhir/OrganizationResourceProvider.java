package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Organization;

/** FHIR Organization: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class OrganizationResourceProvider extends RecordResourceProvider<Organization> {

    @Override
    public Class<Organization> getResourceType() {
        return Organization.class;
    }
}
