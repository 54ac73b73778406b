package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Encounter;

/** FHIR Encounter: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class EncounterResourceProvider extends RecordResourceProvider<Encounter> {

    @Override
    public Class<Encounter> getResourceType() {
        return Encounter.class;
    }
}
