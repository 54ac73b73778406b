package health.meridian.web.record;

import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Which patient a written record is about, so that no record about a patient is stored as a record about nobody
 * (which every staff member of the institution could read). A patient reference given only by identifier is turned
 * into a literal {@code Patient/<id>} reference at write time, by the patient the caller may read with that
 * identifier; a patient reference that names no patient the server knows is refused. A Provenance is about the
 * person its targets are about.
 */
public final class RecordSubjects {

    private RecordSubjects() {
    }

    /**
     * Makes every patient reference of {@code resource} literal: an identifier-only reference (type Patient or none)
     * is resolved with {@code patientByIdentifier} (system|value → the id of the one Patient the caller may read);
     * an unresolvable one, or one with neither reference nor identifier, is refused like an unknown reference.
     * References to other types (Group, Device, Location) are left: such records are about no patient.
     */
    public static void resolvePatientReferences(EnvelopeExtractor extractor, IBaseResource resource,
                                         Function<String, Optional<String>> patientByIdentifier) {
        requireServed(extractor, resource);
        for (Reference ref : extractor.patientReferences(resource)) {
            if (ref.hasReference() || ref.hasType() && !"Patient".equals(ref.getType())) {
                continue;
            }
            Identifier id = ref.getIdentifier();
            if (id == null || !id.hasValue()) {
                throw new IllegalArgumentException("EHR-0407 the patient of a " + resource.fhirType()
                        + " is a Patient reference or a patient identifier");
            }
            String identifier = (id.hasSystem() ? id.getSystem() : "") + "|" + id.getValue();
            String patient = patientByIdentifier.apply(identifier)
                    .orElseThrow(() -> RecordService.unknownReference("Patient?identifier=" + identifier));
            ref.setReference("Patient/" + patient);
        }
        requireOnePatient(extractor, resource);
    }

    /** Only types of the resource catalogue are stored (a Bundle inside a transaction is refused, EHR-0461). */
    public static void requireServed(EnvelopeExtractor extractor, IBaseResource resource) {
        extractor.catalogue().refusal(resource.fhirType()).ifPresent(why -> {
            throw new IllegalArgumentException("EHR-0461 " + resource.fhirType() + " is not stored: " + why);
        });
    }

    /**
     * A record is decided by one patient: a record whose patient elements name two patients (a Group of patients,
     * an Appointment of two) could be read by the care team of either and disclose the other (EHR-0460).
     */
    public static void requireOnePatient(EnvelopeExtractor extractor, IBaseResource resource) {
        List<String> patients = extractor.patientsNamed(resource);
        if (patients.size() > 1) {
            throw new IllegalArgumentException("EHR-0460 a " + resource.fhirType() + " is about one patient; this"
                    + " one names " + String.join(", ", patients) + " (store one record per patient)");
        }
    }

    /** Types about the person of the records they name (targets) rather than about a patient element. */
    public static boolean governedByTargets(String type) {
        return "Provenance".equals(type) || "Binary".equals(type);
    }

    /**
     * The records a record of {@link #governedByTargets} is about, as {@code Type/id} in the writing institution:
     * a Provenance's targets; a Binary's securityContext (required: a Binary nobody's record governs would be
     * readable by every staff member of the institution, EHR-0462). Empty for every other type.
     */
    public static List<String> governingTargets(IBaseResource resource) {
        if (resource instanceof Binary binary) {
            if (!binary.hasSecurityContext() || !binary.getSecurityContext().hasReference()) {
                throw new IllegalArgumentException("EHR-0462 a Binary is stored with the record whose access governs"
                        + " it: set Binary.securityContext (e.g. Patient/<id> or DocumentReference/<id>; with raw"
                        + " content the X-Security-Context header)");
            }
            return List.of(literal(binary.getSecurityContext(), "EHR-0462 a Binary's securityContext"));
        }
        if (!(resource instanceof Provenance provenance)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Reference target : provenance.getTarget()) {
            out.add(literal(target, "EHR-0408 a Provenance's targets"));
        }
        return out;
    }

    private static String literal(Reference ref, String what) {
        var el = ref.getReferenceElement();
        if (!el.hasResourceType() || !el.hasIdPart() || el.isAbsolute()) {
            throw new IllegalArgumentException(what + " are records of this server (Type/id)");
        }
        return el.getResourceType() + "/" + el.getIdPart();
    }

    /**
     * The {@code Binary/<id>} attachments of a record (any Attachment element whose url is a relative Binary
     * reference): the record and the content it points at must be about the same person (see RecordService).
     */
    static List<String> binaryAttachments(ca.uhn.fhir.context.FhirContext fhir, IBaseResource resource) {
        if (resource instanceof Binary) {
            return List.of();
        }
        return fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Attachment.class).stream()
                .map(Attachment::getUrl).filter(u -> u != null && u.matches("Binary/[A-Za-z0-9\\-.]{1,64}"))
                .distinct().toList();
    }

    /**
     * The one person of a Provenance's targets ({@code personOfTarget} gives a target's person, empty for a record
     * about nobody, and refuses an unknown target); null when no target is about a person. Targets about
     * different persons are refused: one Provenance, one patient's records.
     */
    public static String provenancePerson(List<String> targets, Function<String, Optional<String>> personOfTarget) {
        String person = null;
        for (String target : targets) {
            String p = personOfTarget.apply(target).orElse(null);
            if (p != null && person != null && !person.equals(p)) {
                throw new IllegalArgumentException("EHR-0409 a Provenance's targets are about one patient");
            }
            person = p == null ? person : p;
        }
        return person;
    }

    public static ResourceKey key(TenantId tenant, String typeSlashId) {
        int slash = typeSlashId.indexOf('/');
        return new ResourceKey(tenant, typeSlashId.substring(0, slash), typeSlashId.substring(slash + 1));
    }
}
