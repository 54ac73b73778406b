package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Consent;

/** FHIR Consent: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ConsentResourceProvider extends ClinicalResourceProvider<Consent> {

    @Override
    public Class<Consent> getResourceType() {
        return Consent.class;
    }
}
