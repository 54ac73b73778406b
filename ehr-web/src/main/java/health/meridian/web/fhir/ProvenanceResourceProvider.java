package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Provenance;

/** FHIR Provenance: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class ProvenanceResourceProvider extends RecordResourceProvider<Provenance> {

    @Override
    public Class<Provenance> getResourceType() {
        return Provenance.class;
    }
}
