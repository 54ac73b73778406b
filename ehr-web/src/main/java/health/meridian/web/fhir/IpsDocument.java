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
            new Section("10160-0", "Medication summary", true,
                    r -> r.fhirType().equals("MedicationStatement") || r.fhirType().equals("MedicationRequest")),
            new Section("48765-2", "Allergies and intolerances", true, r -> r.fhirType().equals("AllergyIntolerance")),
            new Section("11369-6", "Immunizations", false, r -> r.fhirType().equals("Immunization")),
            new Section("30954-2", "Results", false, r -> r.fhirType().equals("DiagnosticReport")
                    || r instanceof Observation o && hasCategory(o, "laboratory")),
            new Section("47519-4", "History of procedures", false, r -> r.fhirType().equals("Procedure")),
            new Section("8716-3", "Vital signs", false, r -> r instanceof Observation o && hasCategory(o, "vital-signs")),
            new Section("11348-0", "History of past illness", false, r -> r instanceof Condition c && resolved(c)));

    private IpsDocument() {
    }

    public static Bundle of(String base, Patient patient, List<Resource> resources, Instant now) {
        return of(base, patient, resources, List.of(), now);
    }

    /**
     * The document; {@code base} is the FHIR server base, so entries' fullUrls resolve their references.
     * {@code otherPatients} (the same person's records at other institutions) are included when an entry refers
     * to them.
     */
    public static Bundle of(String base, Patient patient, List<Resource> resources, List<Resource> otherPatients,
                            Instant now) {
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
        java.util.Set<String> referenced = referencedPatients(included.values());
        otherPatients.stream().filter(o -> referenced.contains("Patient/" + o.getIdElement().getIdPart()))
                .forEach(o -> bundle.addEntry().setFullUrl(root + "/Patient/" + o.getIdElement().getIdPart())
                        .setResource(o));
        return bundle;
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
