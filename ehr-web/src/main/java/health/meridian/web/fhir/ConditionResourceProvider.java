package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Condition;

/** FHIR Condition: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ConditionResourceProvider extends ClinicalResourceProvider<Condition> {

    @Override
    public Class<Condition> getResourceType() {
        return Condition.class;
    }
}
