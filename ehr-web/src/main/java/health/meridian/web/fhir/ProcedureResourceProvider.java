package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Procedure;

/** FHIR Procedure: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ProcedureResourceProvider extends RecordResourceProvider<Procedure> {

    @Override
    public Class<Procedure> getResourceType() {
        return Procedure.class;
    }
}
