package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Condition;

/** FHIR Condition: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ConditionResourceProvider extends RecordResourceProvider<Condition> {

    @Override
    public Class<Condition> getResourceType() {
        return Condition.class;
    }
}
