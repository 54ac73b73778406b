package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Device;

/** FHIR Device: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class DeviceResourceProvider extends ClinicalResourceProvider<Device> {

    @Override
    public Class<Device> getResourceType() {
        return Device.class;
    }
}
