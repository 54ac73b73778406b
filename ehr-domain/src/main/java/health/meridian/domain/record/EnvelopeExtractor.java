package health.meridian.domain.record;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Reads the envelope (patient, time, category, codes, identifiers, labels, author) out of an R4 resource. */
public final class EnvelopeExtractor {

    private static final Map<String, String> PATIENT_PATH = Map.ofEntries(
            Map.entry("Encounter", "subject"), Map.entry("Condition", "subject"),
            Map.entry("Observation", "subject"), Map.entry("MedicationRequest", "subject"),
            Map.entry("MedicationStatement", "subject"), Map.entry("AllergyIntolerance", "patient"),
            Map.entry("Procedure", "subject"), Map.entry("Immunization", "patient"),
            Map.entry("DiagnosticReport", "subject"), Map.entry("DocumentReference", "subject"),
            Map.entry("CarePlan", "subject"), Map.entry("CareTeam", "subject"), Map.entry("Consent", "patient"),
            Map.entry("Claim", "patient"), Map.entry("ExplanationOfBenefit", "patient"),
            Map.entry("MedicationAdministration", "subject"), Map.entry("ImagingStudy", "subject"),
            Map.entry("Device", "patient"), Map.entry("SupplyDelivery", "patient"));

    private static final Map<String, List<String>> TIME_PATHS = Map.ofEntries(
            Map.entry("Encounter", List.of("period")), Map.entry("Condition", List.of("onset", "recordedDate")),
            Map.entry("Observation", List.of("effective", "issued")),
            Map.entry("MedicationRequest", List.of("authoredOn")),
            Map.entry("MedicationStatement", List.of("effective", "dateAsserted")),
            Map.entry("AllergyIntolerance", List.of("recordedDate", "onset")),
            Map.entry("Procedure", List.of("performed")), Map.entry("Immunization", List.of("occurrence")),
            Map.entry("DiagnosticReport", List.of("effective", "issued")),
            Map.entry("DocumentReference", List.of("date")),
            Map.entry("CarePlan", List.of("period", "created")), Map.entry("CareTeam", List.of("period")),
            Map.entry("Consent", List.of("dateTime")), Map.entry("Claim", List.of("billablePeriod", "created")),
            Map.entry("ExplanationOfBenefit", List.of("billablePeriod", "created")),
            Map.entry("Provenance", List.of("recorded")), Map.entry("Patient", List.of("birthDate")));

    private static final Map<String, String> AUTHOR_PATH = Map.of(
            "Observation", "performer", "MedicationRequest", "requester", "Condition", "recorder",
            "DocumentReference", "author", "DiagnosticReport", "performer", "AllergyIntolerance", "recorder");

    private final FhirContext context;

    public EnvelopeExtractor(FhirContext context) {
        this.context = context;
    }

    public RecordEnvelope extract(IBaseResource resource, String id) {
        String type = resource.fhirType();
        return new RecordEnvelope(patientRef(resource, type, id), effectiveAt(resource, type),
                codings(resource, "category"), codings(resource, "code"), identifiers(resource),
                labels(resource), author(resource, type));
    }

    /** The references in the element that names the patient a resource of this type is about (none for others). */
    public List<Reference> patientReferences(IBaseResource resource) {
        String path = PATIENT_PATH.get(resource.fhirType());
        return path == null ? List.of() : values(resource, path, Reference.class);
    }

    private String patientRef(IBaseResource resource, String type, String id) {
        if ("Patient".equals(type)) {
            return "Patient/" + id;
        }
        String path = PATIENT_PATH.get(type);
        if (path == null) {
            return null;
        }
        return values(resource, path, Reference.class).stream()
                .map(r -> r.getReferenceElement())
                .filter(r -> "Patient".equals(r.getResourceType()) && r.getIdPart() != null)
                .map(r -> "Patient/" + r.getIdPart())
                .findFirst().orElse(null);
    }

    private Instant effectiveAt(IBaseResource resource, String type) {
        for (String path : TIME_PATHS.getOrDefault(type, List.of())) {
            for (IBase value : values(resource, path, IBase.class)) {
                Instant instant = toInstant(value);
                if (instant != null) {
                    return instant;
                }
            }
        }
        return null;
    }

    /**
     * The element {@link #extract} takes the effective instant from, as the source recorded it: its own UTC offset
     * kept ({@code 2024-05-01T09:10:00+01:00}), a date-only value as a date ({@code 2024-05-01}). For display (ADR
     * 0017): the instant in the envelope orders and filters, this string is what a person is shown. Null when the
     * resource has no such element.
     */
    public String effectiveAsRecorded(IBaseResource resource) {
        for (String path : TIME_PATHS.getOrDefault(resource.fhirType(), List.of())) {
            for (IBase value : values(resource, path, IBase.class)) {
                if (toInstant(value) != null) {
                    return value instanceof Period p ? p.getStartElement().getValueAsString()
                            : ((BaseDateTimeType) value).getValueAsString();
                }
            }
        }
        return null;
    }

    private static Instant toInstant(IBase value) {
        if (value instanceof BaseDateTimeType dt && dt.getValue() != null) {
            return dt.getValue().toInstant();
        }
        if (value instanceof Period p && p.getStart() != null) {
            return p.getStart().toInstant();
        }
        return null;
    }

    private List<String> codings(IBaseResource resource, String element) {
        List<String> out = new ArrayList<>();
        for (CodeableConcept concept : values(resource, element, CodeableConcept.class)) {
            for (Coding c : concept.getCoding()) {
                if (c.hasCode()) {
                    out.add((c.hasSystem() ? c.getSystem() : "") + "|" + c.getCode());
                }
            }
        }
        return out;
    }

    private List<String> identifiers(IBaseResource resource) {
        List<String> out = new ArrayList<>();
        for (Identifier i : values(resource, "identifier", Identifier.class)) {
            if (i.hasValue()) {
                out.add((i.hasSystem() ? i.getSystem() : "") + "|" + i.getValue());
            }
        }
        return out;
    }

    private static List<String> labels(IBaseResource resource) {
        List<String> out = new ArrayList<>();
        resource.getMeta().getSecurity().forEach(c -> out.add(c.getSystem() + "|" + c.getCode()));
        return out;
    }

    private String author(IBaseResource resource, String type) {
        String path = AUTHOR_PATH.get(type);
        if (path == null) {
            return null;
        }
        return values(resource, path, Reference.class).stream()
                .map(Reference::getReference).filter(r -> r != null).findFirst().orElse(null);
    }

    /** Values of a top-level element (choice elements by their base name, e.g. "effective"), of one Java type. */
    private <T> List<T> values(IBaseResource resource, String element, Class<T> type) {
        RuntimeResourceDefinition definition = context.getResourceDefinition(resource);
        BaseRuntimeChildDefinition child = definition.getChildByName(element);
        if (child == null) {
            child = definition.getChildByName(element + "[x]");
        }
        if (child == null) {
            return List.of();
        }
        return child.getAccessor().getValues(resource).stream().filter(type::isInstance).map(type::cast).toList();
    }
}
