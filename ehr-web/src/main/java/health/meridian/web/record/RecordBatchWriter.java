package health.meridian.web.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.RecordRepository.NewResource;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.domain.audit.AuditAction;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import health.meridian.web.security.AccessFacts;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Creates many new resources in the caller's institution in one go (the body of a transaction bundle, an import):
 * the same checks as one-by-one creates (policy per type, patient references must resolve to a person), but one
 * tenant binding, one person lookup per patient and batched inserts.
 */
@ApplicationScoped
public class RecordBatchWriter {

    @Inject
    RecordRepository records;
    @Inject
    TenantBinding binding;
    @Inject
    AccessSeam seam;
    @Inject
    PatientRegistration registration;
    @Inject
    FhirContext fhir;
    @Inject
    EnvelopeExtractor extractor;
    @Inject
    RecordService single;

    /** Each resource must carry its (new) id. Patients are linked to new persons; the rest to their patient's. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<IBaseResource, StoredResource> createAll(List<IBaseResource> resources) {
        AccessSeam.Writing writing = null;
        for (String type : resources.stream().map(IBaseResource::fhirType).distinct().toList()) {
            writing = seam.writing(AuditAction.C, "create", type, null); // refuses a role that may not write a type
        }
        if (writing == null) {
            return Map.of();
        }
        TenantId tenant = writing.tenant();
        AccessFacts facts = writing.facts();
        Map<String, String> personOfPatient = new HashMap<>();
        List<NewResource> rows = new ArrayList<>();
        Date now = new Date();
        IParser json = fhir.newJsonParser();
        List<IBaseResource> ordered = new ArrayList<>(resources);
        ordered.sort(java.util.Comparator.comparingInt(RecordBatchWriter::order)); // Patients first, Provenance last
        for (IBaseResource r : ordered) {
            String id = r.getIdElement().getIdPart();
            ResourceKey key = new ResourceKey(tenant, r.fhirType(), id);
            health.meridian.web.fhir.CustodianTag.strip(r);
            r.getMeta().setVersionId("1");
            r.getMeta().setLastUpdated(now);
            RecordEnvelope envelope = extractor.extract(r, id);
            String person = RecordSubjects.governedByTargets(key.type())
                    ? provenancePerson(writing, key, r, personOfPatient, facts)
                    : person(writing, key, envelope, personOfPatient, facts);
            personOfPatient.put(key.type() + "/" + key.id(), person == null ? NOBODY : person);
            single.requireAttachmentsAbout(key, r, person, t -> personOfPatient.containsKey(t)
                    ? java.util.Optional.of(personOfPatient.get(t)).filter(p -> !NOBODY.equals(p))
                    : single.personOfTarget(key.tenant(), t));
            rows.add(new NewResource(key, envelope, person, json.encodeResourceToString(r)));
        }
        List<StoredResource> stored = records.appendNew(rows);
        writing.wroteAll("transaction", "Bundle", stored, rows.size() + " resources created");
        Map<IBaseResource, StoredResource> out = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            out.put(ordered.get(i), stored.get(i));
        }
        return out;
    }

    private static int order(IBaseResource r) {
        return "Patient".equals(r.fhirType()) ? 0 : RecordSubjects.governedByTargets(r.fhirType()) ? 2 : 1;
    }

    /** Marks a record of this batch that is about no person (the map holds the person of each new record). */
    private static final String NOBODY = "";

    /** A Provenance is about the person of its targets: records of this batch or already stored ones. */
    private String provenancePerson(AccessSeam.Writing writing, ResourceKey key, IBaseResource r,
                                    Map<String, String> personOf, AccessFacts facts) {
        List<String> targets = RecordSubjects.governingTargets(r);
        String person = RecordSubjects.provenancePerson(targets, t -> personOf.containsKey(t)
                ? java.util.Optional.of(personOf.get(t)).filter(p -> !NOBODY.equals(p))
                : single.personOfTarget(key.tenant(), t));
        if (person != null && targets.stream().noneMatch(personOf::containsKey)) {
            RecordService.requireWrite(writing, key, person, String.join(",", targets), facts);
        }
        return person;
    }

    private String person(AccessSeam.Writing writing, ResourceKey key, RecordEnvelope envelope,
                          Map<String, String> personOfPatient,
                          AccessFacts facts) {
        if ("Patient".equals(key.type())) {
            String person = registration.personForNewPatient(writing, envelope);
            personOfPatient.put("Patient/" + key.id(), person);
            return person;
        }
        String ref = envelope.patientRef();
        if (ref == null) {
            return null;
        }
        return personOfPatient.computeIfAbsent(ref, r -> {
            String person = records.personOf(new ResourceKey(key.tenant(), "Patient",
                    r.substring("Patient/".length()))).orElseThrow(() ->
                    RecordService.unknownReference(r));
            RecordService.requireWrite(writing, key, person, r, facts); // an existing patient: the caller must care
            return person;
        });
    }
}
