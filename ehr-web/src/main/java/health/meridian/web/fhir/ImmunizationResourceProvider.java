package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Immunization;

/** FHIR Immunization: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ImmunizationResourceProvider extends RecordResourceProvider<Immunization> {

    @Override
    public Class<Immunization> getResourceType() {
        return Immunization.class;
    }
}
