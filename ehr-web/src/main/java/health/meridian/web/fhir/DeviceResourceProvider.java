package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Device;

/** FHIR Device: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class DeviceResourceProvider extends RecordResourceProvider<Device> {

    @Override
    public Class<Device> getResourceType() {
        return Device.class;
    }
}
