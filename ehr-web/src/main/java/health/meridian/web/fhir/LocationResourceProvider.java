package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Location;

/** FHIR Location: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class LocationResourceProvider extends ClinicalResourceProvider<Location> {

    @Override
    public Class<Location> getResourceType() {
        return Location.class;
    }
}
