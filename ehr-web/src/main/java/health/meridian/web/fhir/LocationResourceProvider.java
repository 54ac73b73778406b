package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Location;

/** FHIR Location: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class LocationResourceProvider extends RecordResourceProvider<Location> {

    @Override
    public Class<Location> getResourceType() {
        return Location.class;
    }
}
