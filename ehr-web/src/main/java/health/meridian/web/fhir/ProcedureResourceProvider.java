package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Procedure;

/** FHIR Procedure: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ProcedureResourceProvider extends ClinicalResourceProvider<Procedure> {

    @Override
    public Class<Procedure> getResourceType() {
        return Procedure.class;
    }
}
