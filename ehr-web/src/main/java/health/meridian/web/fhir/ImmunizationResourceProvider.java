package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Immunization;

/** FHIR Immunization: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ImmunizationResourceProvider extends ClinicalResourceProvider<Immunization> {

    @Override
    public Class<Immunization> getResourceType() {
        return Immunization.class;
    }
}
