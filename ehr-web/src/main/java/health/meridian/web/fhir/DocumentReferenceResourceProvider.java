package health.meridian.web.fhir;

import jakarta.enterprise.context.Dependent;
import org.hl7.fhir.r4.model.DocumentReference;

/** FHIR DocumentReference: the interactions and search of {@link RecordResourceProvider}. */
@Dependent
public class DocumentReferenceResourceProvider extends RecordResourceProvider<DocumentReference> {

    @Override
    public Class<DocumentReference> getResourceType() {
        return DocumentReference.class;
    }
}
