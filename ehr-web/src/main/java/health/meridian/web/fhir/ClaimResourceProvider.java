package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Claim;

/** FHIR Claim: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ClaimResourceProvider extends ClinicalResourceProvider<Claim> {

    @Override
    public Class<Claim> getResourceType() {
        return Claim.class;
    }
}
