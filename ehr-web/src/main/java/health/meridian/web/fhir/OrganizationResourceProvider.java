package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Organization;

/** FHIR Organization: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class OrganizationResourceProvider extends ClinicalResourceProvider<Organization> {

    @Override
    public Class<Organization> getResourceType() {
        return Organization.class;
    }
}
