package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.meridian.web.fhir.search.SearchPage;
import health.meridian.web.record.RecordService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code GET /fhir/Patient/{id}/$everything[?_count&_since&_type]}: the patient and every record about the same
 * person that the caller may see, across institutions, read from the system of record (not the mirror), as a
 * searchset in pages (next links carry {@link EverythingState}); the Practitioners, Organizations, Locations and
 * Medications a page refers to follow its matches with {@code search.mode = include}, each read like any read.
 */
@Dependent
public class PatientEverythingOperation {

    static final int LIMIT = 20_000;
    private static final Set<String> REFERENCED = Set.of("Practitioner", "PractitionerRole", "Organization",
            "Location", "Medication");

    @Inject
    RecordService records;
    @Inject
    RecordResources resources;
    @Inject
    FhirContext fhir;

    @Operation(name = "$everything", idempotent = true, typeName = "Patient", bundleType = BundleTypeEnum.SEARCHSET)
    public IBundleProvider everything(@IdParam IdType id, RequestDetails request) {
        String count = first(request, "_count");
        String types = first(request, "_type");
        EverythingState state = new EverythingState(id.getIdPart(), first(request, "_since"),
                types == null ? List.of() : Arrays.stream(types.split(",")).map(String::trim)
                        .filter(t -> !t.isEmpty()).toList(), PageSize.of(count == null ? null : parse(count)));
        return page(state, 0);
    }

    /** The page at {@code offset} (the first page, or one a paging link names). */
    public IBundleProvider page(EverythingState state, int offset) {
        RecordService.EverythingPage page = records.everything(state.patientId(), since(state.since()),
                state.types(), offset, state.count(), LIMIT).orElseThrow(() ->
                new ResourceNotFoundException(new IdType("Patient", state.patientId())));
        List<IBaseResource> found = new ArrayList<>(page.records().stream().map(resources::of).toList());
        found.addAll(referenced(found));
        String next = offset + state.count() < page.total() && state.count() > 0
                ? Integer.toString(offset + state.count()) : null;
        return new SearchPage(state.encode(), Integer.toString(offset), next, found, page.total(), state.count());
    }

    /** The resources of the kinds in {@link #REFERENCED} the page refers to and does not hold, as includes. */
    private List<IBaseResource> referenced(List<IBaseResource> page) {
        Set<String> held = new LinkedHashSet<>();
        page.forEach(r -> held.add(r.fhirType() + "/" + r.getIdElement().getIdPart()));
        Set<String> wanted = new LinkedHashSet<>();
        for (IBaseResource r : page) {
            for (Reference ref : fhir.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
                var target = ref.getReferenceElement();
                if (target.hasResourceType() && target.hasIdPart() && !target.isAbsolute()
                        && REFERENCED.contains(target.getResourceType())) {
                    wanted.add(target.getResourceType() + "/" + target.getIdPart());
                }
            }
        }
        wanted.removeAll(held);
        List<IBaseResource> included = new ArrayList<>();
        for (String ref : wanted) {
            String[] parts = ref.split("/");
            records.read(parts[0], parts[1]).filter(s -> !s.deleted()).map(resources::of).ifPresent(included::add);
        }
        included.forEach(r -> ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r, BundleEntrySearchModeEnum.INCLUDE));
        return included;
    }

    private static String first(RequestDetails request, String name) {
        String[] values = request.getParameters().get(name);
        return values == null || values.length == 0 || values[0].isBlank() ? null : values[0];
    }

    private static Integer parse(String count) {
        try {
            return Integer.valueOf(count.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("EHR-0202 _count must be a whole number");
        }
    }

    private static Instant since(String since) {
        if (since == null) {
            return null;
        }
        try {
            return new DateTimeType(since).getValue().toInstant();
        } catch (RuntimeException e) {
            throw new InvalidRequestException("EHR-0445 _since must be an instant such as 2024-01-01T00:00:00Z");
        }
    }
}
