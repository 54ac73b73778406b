package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.SupplyDelivery;

/** FHIR SupplyDelivery: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class SupplyDeliveryResourceProvider extends ClinicalResourceProvider<SupplyDelivery> {

    @Override
    public Class<SupplyDelivery> getResourceType() {
        return SupplyDelivery.class;
    }
}
