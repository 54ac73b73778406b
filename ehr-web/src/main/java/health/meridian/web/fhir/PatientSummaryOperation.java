package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.record.SummaryService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code GET /fhir/Patient/{id}/$summary}: an International Patient Summary document of the records the caller may
 * see (care relationship, grant, the patient themself, or a redeemed share code). 404 when the patient is not
 * visible to the caller.
 */
@Dependent
public class PatientSummaryOperation {

    @Inject
    SummaryService summaries;
    @Inject
    RecordResources resources;

    @Operation(name = "$summary", idempotent = true, typeName = "Patient")
    public Bundle summary(@IdParam IdType id, RequestDetails request) {
        SummaryService.Content content = summaries.summary(id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException(id));
        List<Resource> entries = content.entries().stream().map(this::parse).toList();
        List<Resource> others = content.otherPatients().stream().map(this::parse).toList();
        return IpsDocument.of(request.getFhirServerBase(), (Patient) parse(content.patient()), entries, others,
                Instant.now());
    }

    private Resource parse(StoredResource stored) {
        return (Resource) resources.of(stored);
    }
}
