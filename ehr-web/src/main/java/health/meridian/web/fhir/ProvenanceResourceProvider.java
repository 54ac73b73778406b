package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.Provenance;

/** FHIR Provenance: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class ProvenanceResourceProvider extends ClinicalResourceProvider<Provenance> {

    @Override
    public Class<Provenance> getResourceType() {
        return Provenance.class;
    }
}
