package health.meridian.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.search.params.SearchParamIndexer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** Derives the search fields of a stored resource version (the part of the document not in the envelope). */
public final class SearchDocuments {

    private final FhirContext fhir;
    private final boolean searchParameters;

    /** Every field of the index document, the R4 search parameters included (shipping and rebuilding). */
    public SearchDocuments(FhirContext fhir) {
        this(fhir, true);
    }

    private SearchDocuments(FhirContext fhir, boolean searchParameters) {
        this.fhir = fhir;
        this.searchParameters = searchParameters;
    }

    /**
     * The envelope-derived fields only (title, detail, kind, text…), without the FHIRPath evaluation of the search
     * parameters: for the timeline's database fallback, which never filters on them.
     */
    public static SearchDocuments withoutSearchParameters(FhirContext fhir) {
        return new SearchDocuments(fhir, false);
    }

    public IndexedRecord toIndexed(StoredResource stored) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (stored.json() == null) {
            return new IndexedRecord(stored, fields);
        }
        IParser parser = fhir.newJsonParser();
        IBaseResource resource = parser.parseResource(stored.json());
        statusOf(resource, fields);
        fields.put("refs", references(resource));
        fields.put("concept_codes", ConceptCodes.of(resource));
        if (searchParameters) {
            fields.putAll(SearchParamIndexer.of(fhir).fields(resource, stored.recordedAt()));
        }
        if (resource instanceof Patient patient) {
            patientFields(patient, fields);
        } else {
            Summaries.describe(resource, fields);
            String recorded = new health.meridian.domain.record.EnvelopeExtractor(fhir).effectiveAsRecorded(resource);
            if (recorded != null) {
                fields.put("effective_recorded", recorded);
            }
        }
        return new IndexedRecord(stored, fields);
    }

    private void statusOf(IBaseResource resource, Map<String, Object> fields) {
        var child = fhir.getResourceDefinition(resource).getChildByName("status");
        if (child == null) {
            return;
        }
        child.getAccessor().getValues(resource).stream().findFirst()
                .filter(v -> v instanceof org.hl7.fhir.r4.model.PrimitiveType<?>)
                .map(v -> ((org.hl7.fhir.r4.model.PrimitiveType<?>) v).getValueAsString())
                .ifPresent(s -> fields.put("status", s));
    }

    private List<String> references(IBaseResource resource) {
        Set<String> refs = new LinkedHashSet<>();
        for (Reference r : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (r.getReferenceElement().hasResourceType() && r.getReferenceElement().hasIdPart()) {
                refs.add(r.getReferenceElement().getResourceType() + "/" + r.getReferenceElement().getIdPart());
            }
        }
        return new ArrayList<>(refs);
    }

    private static void patientFields(Patient patient, Map<String, Object> fields) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> family = new LinkedHashSet<>();
        Set<String> given = new LinkedHashSet<>();
        StringBuilder text = new StringBuilder();
        for (HumanName name : patient.getName()) {
            if (name.hasFamily()) {
                family.add(Folding.fold(name.getFamily()));
                names.add(Folding.fold(name.getFamily()));
                text.append(name.getFamily()).append(' ');
            }
            for (StringType g : name.getGiven()) {
                given.add(Folding.fold(g.getValue()));
                names.add(Folding.fold(g.getValue()));
                text.append(g.getValue()).append(' ');
            }
        }
        fields.put("name_folded", new ArrayList<>(names));
        fields.put("family_folded", new ArrayList<>(family));
        fields.put("given_folded", new ArrayList<>(given));
        fields.put("text", text.toString().strip());
        if (patient.hasGender()) {
            fields.put("gender", patient.getGender().toCode());
        }
        if (patient.hasBirthDateElement()) {
            fields.put("birthdate", patient.getBirthDateElement().getValueAsString());
        }
    }
}
