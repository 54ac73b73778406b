package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.AllergyIntolerance;

/** FHIR AllergyIntolerance: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class AllergyIntoleranceResourceProvider extends RecordResourceProvider<AllergyIntolerance> {

    @Override
    public Class<AllergyIntolerance> getResourceType() {
        return AllergyIntolerance.class;
    }
}
