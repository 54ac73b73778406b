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
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
        Parsed parsed = new Parsed();
        SummaryService.Content content = summaries.summary(id.getIdPart(), parsed)
                .orElseThrow(() -> new ResourceNotFoundException(id));
        List<Resource> entries = content.entries().stream().map(parsed::of).toList();
        List<Resource> others = content.otherPatients().stream().map(parsed::of).toList();
        List<Resource> referenced = content.referenced().stream().map(parsed::of).toList();
        return IpsDocument.of(request.getFhirServerBase(), (Patient) parsed.of(content.patient()), entries, others,
                referenced, Instant.now());
    }

    /** The document's shape over stored records, each parsed once: IPS sections, then what they refer to. */
    private final class Parsed implements SummaryService.DocumentShape {
        private final Map<StoredResource, Resource> parsed = new IdentityHashMap<>();

        Resource of(StoredResource stored) {
            return parsed.computeIfAbsent(stored, s -> (Resource) resources.of(s));
        }

        @Override
        public List<StoredResource> selected(List<StoredResource> visible) {
            Map<Resource, StoredResource> byResource = new IdentityHashMap<>();
            visible.forEach(v -> byResource.put(of(v), v));
            return IpsDocument.selected(visible.stream().map(this::of).toList()).stream().map(byResource::get)
                    .toList();
        }

        @Override
        public Collection<String> referencesOf(StoredResource stored) {
            return IpsDocument.references(of(stored));
        }
    }
}
