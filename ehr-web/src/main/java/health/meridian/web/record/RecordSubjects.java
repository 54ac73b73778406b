package health.meridian.web.record;

import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
    }

    /** The records a Provenance is about, as keys in the writing institution (empty for any other type). */
    public static List<String> provenanceTargets(IBaseResource resource) {
        if (!(resource instanceof Provenance provenance)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Reference target : provenance.getTarget()) {
            var el = target.getReferenceElement();
            if (!el.hasResourceType() || !el.hasIdPart() || el.isAbsolute()) {
                throw new IllegalArgumentException("EHR-0408 a Provenance's targets are records of this server"
                        + " (Type/id)");
            }
            out.add(el.getResourceType() + "/" + el.getIdPart());
        }
        return out;
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
