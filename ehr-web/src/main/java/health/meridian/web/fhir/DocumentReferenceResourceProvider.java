package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.DocumentReference;

/** FHIR DocumentReference: the common interactions and search parameters of {@link ClinicalResourceProvider}. */
@Dependent
public class DocumentReferenceResourceProvider extends ClinicalResourceProvider<DocumentReference> {

    @Override
    public Class<DocumentReference> getResourceType() {
        return DocumentReference.class;
    }
}
