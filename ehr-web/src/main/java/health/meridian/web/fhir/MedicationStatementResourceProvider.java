package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.MedicationStatement;

/** FHIR MedicationStatement: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class MedicationStatementResourceProvider extends ClinicalResourceProvider<MedicationStatement> {

    @Override
    public Class<MedicationStatement> getResourceType() {
        return MedicationStatement.class;
    }
}
