package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.MedicationStatement;

/** FHIR MedicationStatement: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class MedicationStatementResourceProvider extends RecordResourceProvider<MedicationStatement> {

    @Override
    public Class<MedicationStatement> getResourceType() {
        return MedicationStatement.class;
    }
}
