package health.meridian.domain.record;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    private final FhirContext context;
    private final ResourceCatalogue catalogue;

    public EnvelopeExtractor(FhirContext context) {
        this.context = context;
        this.catalogue = new ResourceCatalogue(context);
    }

    /** The catalogue of served types the envelope is read by. */
    public ResourceCatalogue catalogue() {
        return catalogue;
    }

    public RecordEnvelope extract(IBaseResource resource, String id) {
        String type = resource.fhirType();
        return new RecordEnvelope(patientRef(resource, type, id), effectiveAt(resource, type),
                codings(resource, "category"), codings(resource, "code"), identifiers(resource),
                labels(resource), author(resource, type));
    }

    /**
     * The references in the elements that name the patient a resource of this type is about (none for types about
     * no patient; see {@link ResourceCatalogue}). Where those elements name others too (an Appointment's actors),
     * only references typed Patient or literal {@code Patient/x} ones.
     */
    public List<Reference> patientReferences(IBaseResource resource) {
        Optional<ResourceCatalogue.Entry> entry = catalogue.entry(resource.fhirType());
        if (entry.isEmpty()) {
            return List.of();
        }
        List<Reference> out = new ArrayList<>();
        for (String path : entry.get().patientPaths()) {
            for (Reference ref : context.newTerser().getValues(resource, resource.fhirType() + "." + path,
                    Reference.class)) {
                if (entry.get().patientElement() || "Patient".equals(ref.getType())
                        || "Patient".equals(ref.getReferenceElement().getResourceType())) {
                    out.add(ref);
                }
            }
        }
        return out;
    }

    /** The distinct patients ({@code Patient/id}) the patient elements of a resource name. */
    public List<String> patientsNamed(IBaseResource resource) {
        return patientReferences(resource).stream().map(Reference::getReferenceElement)
                .filter(r -> "Patient".equals(r.getResourceType()) && r.getIdPart() != null)
                .map(r -> "Patient/" + r.getIdPart()).distinct().toList();
    }

    private String patientRef(IBaseResource resource, String type, String id) {
        if ("Patient".equals(type)) {
            return "Patient/" + id;
        }
        return patientReferences(resource).stream()
                .map(r -> r.getReferenceElement())
                .filter(r -> "Patient".equals(r.getResourceType()) && r.getIdPart() != null)
                .map(r -> "Patient/" + r.getIdPart())
                .findFirst().orElse(null);
    }

    private Instant effectiveAt(IBaseResource resource, String type) {
        for (String path : timeElements(type)) {
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
        for (String path : timeElements(resource.fhirType())) {
            for (IBase value : values(resource, path, IBase.class)) {
                if (toInstant(value) != null) {
                    return value instanceof Period p ? p.getStartElement().getValueAsString()
                            : ((BaseDateTimeType) value).getValueAsString();
                }
            }
        }
        return null;
    }

    private List<String> timeElements(String type) {
        return catalogue.entry(type).map(ResourceCatalogue.Entry::timeElements).orElse(List.of());
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
        String path = catalogue.entry(type).map(ResourceCatalogue.Entry::authorElement).orElse(null);
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
