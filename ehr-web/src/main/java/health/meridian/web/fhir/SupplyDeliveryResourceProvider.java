package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.SupplyDelivery;

/** FHIR SupplyDelivery: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class SupplyDeliveryResourceProvider extends RecordResourceProvider<SupplyDelivery> {

    @Override
    public Class<SupplyDelivery> getResourceType() {
        return SupplyDelivery.class;
    }
}
