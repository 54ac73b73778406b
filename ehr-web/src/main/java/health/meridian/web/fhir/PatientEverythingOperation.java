package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.record.RecordService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * {@code GET /fhir/Patient/{id}/$everything}: the patient and every record about the same person that the caller
 * may see, across institutions, read from the system of record (not the mirror).
 */
@Dependent
public class PatientEverythingOperation {

    static final int LIMIT = 20_000;

    @Inject
    RecordService records;
    @Inject
    RecordResources resources;

    @Operation(name = "$everything", idempotent = true, typeName = "Patient")
    public IBundleProvider everything(@IdParam IdType id) {
        List<StoredResource> all = records.everything(id.getIdPart(), LIMIT);
        if (all.isEmpty()) {
            throw new ResourceNotFoundException(id);
        }
        List<IBaseResource> found = all.stream().map(resources::of).toList();
        return new SimpleBundleProvider(found);
    }
}
