package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Encounter;

/** FHIR Encounter: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class EncounterResourceProvider extends ClinicalResourceProvider<Encounter> {

    @Override
    public Class<Encounter> getResourceType() {
        return Encounter.class;
    }
}
