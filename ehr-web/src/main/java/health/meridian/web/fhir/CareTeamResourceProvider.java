package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.CareTeam;

/** FHIR CareTeam: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class CareTeamResourceProvider extends ClinicalResourceProvider<CareTeam> {

    @Override
    public Class<CareTeam> getResourceType() {
        return CareTeam.class;
    }
}
