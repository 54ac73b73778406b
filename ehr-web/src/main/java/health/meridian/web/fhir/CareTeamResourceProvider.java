package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.CareTeam;

/** FHIR CareTeam: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class CareTeamResourceProvider extends RecordResourceProvider<CareTeam> {

    @Override
    public Class<CareTeam> getResourceType() {
        return CareTeam.class;
    }
}
