package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Claim;

/** FHIR Claim: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ClaimResourceProvider extends RecordResourceProvider<Claim> {

    @Override
    public Class<Claim> getResourceType() {
        return Claim.class;
    }
}
