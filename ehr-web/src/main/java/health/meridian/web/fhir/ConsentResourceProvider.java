package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Consent;

/** FHIR Consent: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ConsentResourceProvider extends RecordResourceProvider<Consent> {

    @Override
    public Class<Consent> getResourceType() {
        return Consent.class;
    }
}
