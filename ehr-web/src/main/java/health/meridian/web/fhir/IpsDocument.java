package health.meridian.web.fhir;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Assembles an International Patient Summary document (R4 {@code Bundle} of type document): a {@code Composition}
 * (LOINC 60591-5) with the IPS sections and their LOINC codes, the Patient, and the entries the caller may see.
 * Problems, medications and allergies are always present (with an empty reason when there is nothing to say);
 * the other sections only when they hold entries. Results and vital signs keep the latest observation per code.
 */
public final class IpsDocument {

    static final String LOINC = "http://loinc.org";
    private static final int MAX_PER_SECTION = 100;

    private record Section(String code, String title, boolean required, Predicate<Resource> holds) {
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("11450-4", "Problem list", true, r -> r instanceof Condition c && !resolved(c)),
            new Section("10160-0", "Medication summary", true, IpsDocument::currentMedication),
            new Section("48765-2", "Allergies and intolerances", true, r -> r.fhirType().equals("AllergyIntolerance")),
            new Section("11369-6", "Immunizations", false, r -> r.fhirType().equals("Immunization")),
            new Section("30954-2", "Results", false, r -> r.fhirType().equals("DiagnosticReport")
                    || r instanceof Observation o && hasCategory(o, "laboratory")),
            new Section("47519-4", "History of procedures", false, r -> r.fhirType().equals("Procedure")),
            new Section("8716-3", "Vital signs", false, r -> r instanceof Observation o && hasCategory(o, "vital-signs")),
            new Section("11348-0", "History of past illness", false, r -> r instanceof Condition c && resolved(c)));

    private static final ca.uhn.fhir.util.FhirTerser TERSER = ca.uhn.fhir.context.FhirContext.forR4Cached()
            .newTerser();

    private IpsDocument() {
    }

    public static Bundle of(String base, Patient patient, List<Resource> resources, Instant now) {
        return of(base, patient, resources, List.of(), List.of(), now);
    }

    public static Bundle of(String base, Patient patient, List<Resource> resources, List<Resource> otherPatients,
                            Instant now) {
        return of(base, patient, resources, otherPatients, List.of(), now);
    }

    /** The resources of {@code resources} the document's sections hold (the rest is left out of the document). */
    public static List<Resource> selected(List<Resource> resources) {
        Map<String, Resource> out = new LinkedHashMap<>();
        for (Section s : SECTIONS) {
            selected(s, resources).forEach(r -> out.putIfAbsent(r.fhirType() + "/" + r.getIdElement().getIdPart(), r));
        }
        return List.copyOf(out.values());
    }

    /** The literal relative references ({@code Type/id}) of a resource, contained resources' included. */
    public static java.util.Set<String> references(Resource resource) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Reference ref : TERSER.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            org.hl7.fhir.instance.model.api.IIdType id = ref.getReferenceElement();
            if (ref.hasReference() && !ref.getReference().startsWith("#") && !id.isAbsolute() && id.hasResourceType()
                    && id.hasIdPart()) {
                out.add(id.getResourceType() + "/" + id.getIdPart());
            }
        }
        return out;
    }

    /** The references in the document's resources that name nothing the document holds (0 for a self-contained one). */
    public static List<String> unresolved(Bundle document) {
        java.util.Set<String> held = held(document);
        List<String> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : document.getEntry()) {
            for (Reference ref : TERSER.getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
                if (ref.hasReference() && !ref.getReference().startsWith("#") && !held.contains(key(ref))) {
                    out.add(e.getResource().fhirType() + " -> " + ref.getReference());
                }
            }
        }
        return out;
    }

    /**
     * The document; {@code base} is the FHIR server base, so entries' fullUrls resolve their references.
     * {@code otherPatients} (the same person's records at other institutions) are included when an entry refers
     * to them; {@code referenced} (what the entries refer to: Medications, Practitioners, Organizations...) after the
     * entries. A reference to anything the document does not hold keeps only its display.
     */
    public static Bundle of(String base, Patient patient, List<Resource> resources, List<Resource> otherPatients,
                            List<Resource> referenced, Instant now) {
        String root = base.replaceAll("/$", "");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT).setTimestamp(Date.from(now));
        bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        Composition composition = composition(patient, now);
        bundle.addEntry().setFullUrl(root + "/Composition/" + composition.getIdElement().getIdPart())
                .setResource(composition);
        bundle.addEntry().setFullUrl(root + "/Patient/" + patient.getIdElement().getIdPart()).setResource(patient);
        Map<String, Resource> included = new LinkedHashMap<>();
        for (Section s : SECTIONS) {
            List<Resource> held = selected(s, resources);
            if (held.isEmpty() && !s.required()) {
                continue;
            }
            Composition.SectionComponent section = composition.addSection().setTitle(s.title())
                    .setCode(new CodeableConcept(new Coding(LOINC, s.code(), s.title())));
            if (held.isEmpty()) {
                section.setText(narrative("No information available."));
                section.setEmptyReason(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/list-empty-reason", "unavailable", "Unavailable")));
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (Resource r : held) {
                String ref = r.fhirType() + "/" + r.getIdElement().getIdPart();
                section.addEntry(new Reference(ref));
                lines.add(Displays.of(r));
                included.putIfAbsent(ref, r);
            }
            section.setText(narrative(lines.toArray(String[]::new)));
        }
        included.forEach((ref, r) -> bundle.addEntry().setFullUrl(root + "/" + ref).setResource(r));
        java.util.Set<String> patients = referencedPatients(included.values());
        otherPatients.stream().filter(o -> patients.contains("Patient/" + o.getIdElement().getIdPart()))
                .forEach(o -> bundle.addEntry().setFullUrl(root + "/Patient/" + o.getIdElement().getIdPart())
                        .setResource(o));
        referenced.stream().filter(r -> !included.containsKey(r.fhirType() + "/" + r.getIdElement().getIdPart()))
                .forEach(r -> bundle.addEntry().setFullUrl(root + "/" + r.fhirType() + "/" + r.getIdElement()
                        .getIdPart()).setResource(r));
        keepOnlyResolvable(bundle);
        return bundle;
    }

    /**
     * The document is self-contained: a reference to something it does not hold (a record the caller may not see,
     * or that does not exist) keeps only its display (the reference's text, else its type), so nothing in the
     * document points outside it.
     */
    private static void keepOnlyResolvable(Bundle bundle) {
        java.util.Set<String> held = held(bundle);
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            for (Reference ref : TERSER.getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
                if (ref.hasReference() && !ref.getReference().startsWith("#") && !held.contains(key(ref))) {
                    if (!ref.hasDisplay()) {
                        ref.setDisplay(ref.getReferenceElement().hasResourceType()
                                ? ref.getReferenceElement().getResourceType() + " (not included)" : "not included");
                    }
                    ref.setReferenceElement((org.hl7.fhir.r4.model.StringType) null);
                }
            }
        }
    }

    private static java.util.Set<String> held(Bundle bundle) {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            held.add(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart());
        }
        return held;
    }

    private static String key(Reference ref) {
        org.hl7.fhir.instance.model.api.IIdType id = ref.getReferenceElement();
        return id.getResourceType() + "/" + id.getIdPart();
    }

    /**
     * The medication list holds what the patient takes now: statements active, intended or on hold; requests
     * active or on hold (stopped, completed, cancelled, entered-in-error, draft: out).
     */
    private static boolean currentMedication(Resource r) {
        if (r instanceof org.hl7.fhir.r4.model.MedicationStatement s) {
            return s.hasStatus() && List.of("active", "intended", "on-hold").contains(s.getStatus().toCode());
        }
        if (r instanceof org.hl7.fhir.r4.model.MedicationRequest m) {
            return m.hasStatus() && List.of("active", "on-hold").contains(m.getStatus().toCode());
        }
        return false;
    }

    private static java.util.Set<String> referencedPatients(java.util.Collection<Resource> resources) {
        java.util.Set<String> refs = new java.util.HashSet<>();
        for (Resource r : resources) {
            for (String field : List.of("subject", "patient")) {
                org.hl7.fhir.r4.model.Property p = r.getNamedProperty(field);
                if (p != null && p.hasValues() && p.getValues().get(0) instanceof Reference ref && ref.hasReference()) {
                    refs.add(ref.getReference());
                }
            }
        }
        return refs;
    }

    private static Composition composition(Patient patient, Instant now) {
        Composition c = new Composition();
        c.setId(UUID.randomUUID().toString());
        c.setStatus(Composition.CompositionStatus.FINAL);
        c.setType(new CodeableConcept(new Coding(LOINC, "60591-5", "Patient summary Document")));
        c.setSubject(new Reference("Patient/" + patient.getIdElement().getIdPart()));
        c.setDate(Date.from(now));
        c.addAuthor().setDisplay("Meridian EHR");
        c.setTitle("Patient summary");
        c.setText(narrative("Patient summary of " + Displays.of(patient) + ", generated " + now));
        return c;
    }

    private static List<Resource> selected(Section s, List<Resource> resources) {
        List<Resource> held = resources.stream().filter(s.holds()).toList();
        if (s.code().equals("30954-2") || s.code().equals("8716-3")) {
            Map<String, Resource> latest = new LinkedHashMap<>();
            held.stream().sorted(Comparator.comparing(Displays::when, Comparator.nullsLast(Comparator.reverseOrder())))
                    .forEach(r -> latest.putIfAbsent(Displays.codeKey(r), r));
            held = List.copyOf(latest.values());
        }
        return held.stream().limit(MAX_PER_SECTION).toList();
    }

    private static boolean resolved(Condition c) {
        return c.hasClinicalStatus() && c.getClinicalStatus().getCoding().stream()
                .anyMatch(x -> List.of("resolved", "inactive", "remission").contains(x.getCode()));
    }

    private static boolean hasCategory(Observation o, String code) {
        return o.getCategory().stream().flatMap(cc -> cc.getCoding().stream()).anyMatch(x -> code.equals(x.getCode()));
    }

    static Narrative narrative(String... lines) {
        StringBuilder div = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\"><ul>");
        for (String line : lines) {
            div.append("<li>").append(escape(line)).append("</li>");
        }
        Narrative n = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
        n.setDivAsString(div.append("</ul></div>").toString());
        return n;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
