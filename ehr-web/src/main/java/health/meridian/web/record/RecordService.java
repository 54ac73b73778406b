package health.meridian.web.record;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.record.VersionCondition;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessSeam.Reading;
import health.meridian.web.security.AccessSeam.Writing;
import health.meridian.web.security.Disclosure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Use cases of the longitudinal record store. Each public method is one transaction that opens a reading or a
 * writing at the access seam ({@link AccessSeam}): it binds the caller, the policy judges every record returned or
 * written, and the audit event of what was answered is written (refusals that throw in a transaction of their own).
 */
@ApplicationScoped
@Transactional
public class RecordService {

    @Inject
    RecordRepository records;
    @Inject
    TenantBinding binding;
    @Inject
    FhirContext fhir;
    @Inject
    EnvelopeExtractor extractor;
    @Inject
    RecordLocator locator;
    @Inject
    TenantService tenants;
    @Inject
    AccessSeam seam;
    @Inject
    PatientRegistration registration;

    public StoredResource create(IBaseResource resource) {
        return createWithId(UUID.randomUUID().toString(), resource);
    }

    /** Conditional create in one transaction: the existing resource the caller may read, or a new one. */
    public Created createIfNoneExist(IBaseResource resource, String identifier) {
        Optional<StoredResource> existing = findForConditionalCreate(resource.fhirType(), identifier);
        return existing.map(e -> new Created(e, false)).orElseGet(() -> new Created(create(resource), true));
    }

    /**
     * Conditional update ({@code PUT /Type?identifier=system|value}) in one transaction: updates the one resource
     * with the identifier that the caller may read, or creates it when there is none (the identifier is locked until
     * commit, so two concurrent conditional updates cannot both create); more than one match is an error.
     */
    public Created conditionalUpdate(String type, String identifier, IBaseResource resource,
                                     VersionCondition condition) {
        Optional<StoredResource> existing = findForConditionalCreate(type, identifier);
        if (existing.isPresent()) {
            String bodyId = resource.getIdElement().getIdPart();
            if (bodyId != null && !bodyId.equals(existing.get().key().id())) {
                throw new IllegalArgumentException("EHR-0412 the resource id " + bodyId
                        + " is not the id of the resource matching " + type + "?identifier=" + identifier);
            }
            return new Created(update(type, existing.get().key().id(), resource, condition), false);
        }
        return new Created(create(resource), true);
    }

    /** The outcome of a conditional create. */
    public record Created(StoredResource stored, boolean isNew) {
    }

    /** Creates with an id chosen beforehand (transaction bundles resolve urn:uuid references to it). */
    public StoredResource createWithId(String id, IBaseResource resource) {
        String type = resource.fhirType();
        Writing writing = seam.writing(AuditAction.C, "create", type, id);
        return writing.written(store(writing, new ResourceKey(writing.tenant(), type, id), resource));
    }

    /**
     * The id of the one current resource of a type with the identifier {@code system|value} in the caller's write
     * institution that the caller may read; empty if none; an error if more than one.
     */
    public Optional<String> findByIdentifier(String type, String identifier) {
        return match(seam.writing(AuditAction.R, "search-type", type, null), type, identifier)
                .map(m -> m.key().id());
    }

    /**
     * Like {@link #findByIdentifier} for a conditional create: first takes a lock on the identifier that is held
     * until commit, so two concurrent conditional creates of the same identifier cannot both create.
     */
    public Optional<StoredResource> findForConditionalCreate(String type, String identifier) {
        Writing writing = seam.writing(AuditAction.C, "create", type, null);
        records.lockIdentifier(new ResourceKey(writing.tenant(), type, "scope"), identifier);
        return match(writing, type, identifier);
    }

    /**
     * A conditional match is a search by the caller: only records they may read match (one they may not read does
     * not, exactly as if it did not exist), and the match is audited as a read.
     */
    private Optional<StoredResource> match(Writing writing, String type, String identifier) {
        Reading reading = seam.reading("search-type", type, null).describedAs(e -> e
                .withQuery("identifier=" + identifier).withDetail("conditional match"));
        List<StoredResource> matches = records.findByIdentifier(new ResourceKey(writing.tenant(), type, "scope"),
                identifier).stream().map(records::current).flatMap(Optional::stream).filter(reading::permits).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException("EHR-0411 " + type + "?identifier=" + identifier + " matches "
                    + matches.size() + " resources");
        }
        matches.forEach(m -> seam.reading("search-type", type, m.key().id()).describedAs(e -> e
                .withQuery("identifier=" + identifier).withDetail("conditional match")).found(m));
        binding.bind(writing.tenant());
        return matches.stream().findFirst();
    }

    /**
     * Ids are assigned by the server (POST); a PUT names a record the caller may write in their institution. An id
     * unknown there, held by another institution, or about a patient the caller has no care relationship with gets
     * this one answer (405, as R4 prescribes for a server without client-defined ids), so a PUT reveals nothing.
     */
    private static final String NO_SUCH_ID = "EHR-0406 no such record to update (ids are assigned by the server:"
            + " create with POST)";

    public StoredResource update(String type, String id, IBaseResource resource) {
        return update(type, id, resource, VersionCondition.NONE);
    }

    /**
     * Update with a version condition ({@code If-Match}). The resource's head is locked before its version is
     * compared, so the comparison and the write are one step: of two writers expecting the same version, one writes
     * and the other gets {@link health.meridian.domain.record.VersionConflictException}. An id the caller may not
     * update is answered as unknown before the condition is looked at, so a condition reveals nothing either.
     */
    public StoredResource update(String type, String id, IBaseResource resource, VersionCondition condition) {
        if (!type.equals(resource.fhirType())) {
            throw new IllegalArgumentException("EHR-0401 resource type " + resource.fhirType()
                    + " does not match the URL type " + type);
        }
        requireStorable(type, id);
        Writing writing = seam.writing(AuditAction.U, "update", type, id);
        ResourceKey key = new ResourceKey(writing.tenant(), type, id);
        Optional<StoredResource> previous = records.currentForUpdate(key);
        if (previous.isEmpty() || !writing.mayWrite(key, previous.get().personId())) {
            writing.refused(NO_SUCH_ID, previous.map(StoredResource::personId).orElse(null));
            throw new UnknownIdException(NO_SUCH_ID + ": " + type + "/" + id);
        }
        condition.require(key, previous.get().version(), previous.get().deleted());
        return writing.written(store(writing, key, resource));
    }

    /** A PUT of an id the caller may not update, answered like an unknown id. */
    public static class UnknownIdException extends RuntimeException {
        public UnknownIdException(String message) {
            super(message);
        }
    }

    /** Deletes; a record the caller may not write is answered exactly like an id that does not exist (empty). */
    public Optional<StoredResource> delete(String type, String id) {
        return delete(type, id, VersionCondition.NONE);
    }

    /**
     * Delete with a version condition ({@code If-Match}), checked under the head's lock like {@link
     * #update(String, String, IBaseResource, VersionCondition)}; an id the caller may not delete is empty (unknown)
     * before the condition is looked at.
     */
    public Optional<StoredResource> delete(String type, String id, VersionCondition condition) {
        requireStorable(type, id);
        Writing writing = seam.writing(AuditAction.D, "delete", type, id);
        ResourceKey target = new ResourceKey(writing.tenant(), type, id);
        Optional<StoredResource> current = records.currentForUpdate(target);
        if (current.isPresent() && !writing.mayWrite(target, current.get().personId())) {
            writing.refused(AccessSeam.NOT_FOUND, current.get().personId());
            return Optional.empty();
        }
        if (current.isEmpty() || current.get().deleted()) {
            return Optional.empty();
        }
        condition.require(target, current.get().version(), false);
        return records.markDeleted(target).map(writing::written);
    }

    public Optional<StoredResource> read(String type, String id) {
        return readPermitted("read", type, id, Optional::of);
    }

    /**
     * Whether the chart's banner may say that other institutions hold records about this patient (ADR 0033); empty
     * when the caller may not read the Patient record (audited as a refused read, answered as "does not exist").
     */
    public Optional<Boolean> outsideRecordsHint(String patientId) {
        Reading reading = seam.reading("outside-records", "Patient", patientId);
        Optional<StoredResource> patient = locate(reading, "Patient", patientId).filter(p -> !p.deleted());
        if (patient.isEmpty()) {
            reading.notFound("Patient", patientId);
            return Optional.empty();
        }
        return Optional.of(reading.outsideRecordsHint(patient.get()));
    }

    /** {@link #read} audited as interaction {@code interaction} (a SMART launch reads its patient: ADR 0028). */
    public Optional<StoredResource> readAs(String interaction, String type, String id) {
        return readPermitted(interaction, type, id, Optional::of);
    }

    public Optional<StoredResource> readVersion(String type, String id, int version) {
        return readPermitted("vread", type, id, current -> records.version(current.key(), version));
    }

    /**
     * The versions the caller may see, newest first, deletion markers included (a version whose labels the caller
     * may not see is left out; a deletion marker is judged by the labels of the version it deletes).
     */
    public List<StoredResource> history(String type, String id) {
        Reading reading = seam.reading("history-instance", type, id);
        Optional<StoredResource> current = locate(reading, type, id);
        List<StoredResource> all = current.map(c -> records.history(c.key())).orElse(List.of());
        List<StoredResource> versions = all.stream().filter(v -> judgedBy(v, all)
                .map(j -> reading.permits(j, current.get())).orElse(false)).toList();
        if (versions.isEmpty()) {
            reading.notFound(type, id);
        } else {
            reading.found(versions.get(0));
        }
        return versions;
    }

    /**
     * {@code fetch} gives the version to answer from the current one the locator found (a read: that one itself,
     * not read again; a vread: the version named), judged again against the current record.
     */
    private Optional<StoredResource> readPermitted(String interaction, String type, String id,
                                                   Function<StoredResource, Optional<StoredResource>> fetch) {
        Reading reading = seam.reading(interaction, type, id);
        Optional<StoredResource> found = locate(reading, type, id).flatMap(current -> fetch.apply(current)
                .filter(v -> reading.permits(v, current)));
        found.ifPresentOrElse(reading::found, () -> reading.notFound(type, id));
        return found;
    }

    /**
     * The current version of the resource at the first institution holding it where the policy permits the
     * caller to see it. Row-level security already hides what no rule could admit; the policy decides the rest.
     */
    private Optional<StoredResource> locate(Reading reading, String type, String id) {
        // The policy decides on the holders' facts first (the same one index probe whether the id is held
        // elsewhere or nowhere, so a refusal takes as long either way); only an admitted holder's record is read,
        // under row-level security, and judged again on what was read.
        for (RecordLocator.Holder holder : locator.holdersOf(type, id)) {
            if (!reading.permits(type, holder)) {
                continue;
            }
            Optional<StoredResource> current = records.current(new ResourceKey(holder.custodian(), type, id));
            if (current.isPresent() && reading.permits(current.get())) {
                return current;
            }
        }
        return Optional.empty();
    }

    /** The version whose labels judge {@code version}: itself, or for a deletion marker the version it deletes. */
    private static Optional<StoredResource> judgedBy(StoredResource version, List<StoredResource> all) {
        if (!version.deleted()) {
            return Optional.of(version);
        }
        return all.stream().filter(v -> v.version() == version.version() - 1).findFirst();
    }

    /** One page of Patient/$everything: the records on it, and how many the whole compartment holds. */
    public record EverythingPage(List<StoredResource> records, int total) {
    }

    /**
     * One page of everything about the patient's person that the caller may see, from every institution they may
     * read (the Patient/$everything compartment, capped at {@code limit}): recorded at or after {@code since} (null:
     * no bound), of the {@code types} named (empty: all), the {@code count} after the first {@code offset}, in a
     * stable order (institution, type, effective time, id). Empty when the patient is not visible. Audited once per
     * custodian and person on the page.
     */
    public Optional<EverythingPage> everything(String patientId, java.time.Instant since,
                                               java.util.Collection<String> types, int offset, int count, int limit) {
        StoredResource patient = read("Patient", patientId).filter(p -> !p.deleted()).orElse(null);
        if (patient == null) {
            return Optional.empty();
        }
        Reading reading = seam.reading("operation", "Patient", patientId).describedAs(e -> e
                .withDetail("$everything"));
        List<StoredResource> all = compartment(reading, patient.personId(), since, types, limit);
        List<StoredResource> page = all.stream().skip(offset).limit(count).toList();
        List<Disclosure> disclosed = new ArrayList<>(List.of(Disclosure.of(patient)));
        page.forEach(s -> disclosed.add(Disclosure.of(s)));
        reading.disclosed(disclosed);
        return Optional.of(new EverythingPage(page, all.size()));
    }

    /**
     * The current records about {@code person} at every institution that {@code reading} lets its caller see (each
     * judged by the seam, as {@code $everything} does): recorded at or after {@code since} (null: no bound), of the
     * {@code types} named (empty: all), at most {@code limit}. Not audited here: the use case discloses what it
     * answers through the same reading ({@code $everything} per page, a bulk export per person).
     */
    public List<StoredResource> compartment(Reading reading, String person, java.time.Instant since,
                                            java.util.Collection<String> types, int limit) {
        List<StoredResource> all = new ArrayList<>();
        for (TenantId tenant : tenants.all().stream().map(Institution::id).toList()) {
            reading.rebind();
            binding.bind(tenant);
            records.compartment(person, limit).stream().filter(reading::permits)
                    .filter(r -> types.isEmpty() || types.contains(r.key().type()))
                    .filter(r -> since == null || !r.recordedAt().isBefore(since))
                    .limit(limit - all.size()).forEach(all::add);
        }
        return all;
    }

    /** Ids of computed resources (a grant's Consent view) are never stored: they are read-only. */
    private static void requireStorable(String type, String id) {
        if (health.meridian.web.fhir.GrantConsent.isGrantConsent(type, id)) {
            throw new IllegalArgumentException("EHR-0663 Consent/" + id + " is the FHIR view of an access grant;"
                    + " grants are changed through /api/grants");
        }
    }

    private StoredResource store(Writing writing, ResourceKey key, IBaseResource resource) {
        requireStorable(key.type(), key.id());
        Optional<StoredResource> previous = records.current(key);
        int nextVersion = previous.map(p -> p.version() + 1).orElse(1);
        resource.setId(key.type() + "/" + key.id());
        health.meridian.web.fhir.CustodianTag.strip(resource);
        resource.getMeta().setVersionId(Integer.toString(nextVersion));
        resource.getMeta().setLastUpdated(new Date());
        resolvePatientReferences(resource);
        binding.bind(key.tenant());
        RecordEnvelope envelope = extractor.extract(resource, key.id());
        String personId = personFor(writing, key, resource, envelope, previous);
        String subject = subjectOf(resource, envelope);
        requireAttachmentsAbout(key, resource, personId, target -> personOfTarget(key.tenant(), target));
        if (previous.isPresent() || !"Patient".equals(key.type())) {
            AccessFacts facts = writing.facts();
            requireWrite(writing, key, previous.map(StoredResource::personId).orElse(personId), subject, facts);
            if (previous.isPresent() && !Objects.equals(previous.get().personId(), personId)) {
                requireWrite(writing, key, personId, subject, facts);
            }
        }
        return records.append(key, envelope, personId, fhir.newJsonParser().encodeResourceToString(resource));
    }

    /**
     * Makes identifier-only patient references literal (by the one Patient the caller may read with that identifier
     * in their institution) and refuses patient references that name no patient: see {@link RecordSubjects}.
     */
    public void resolvePatientReferences(IBaseResource resource) {
        RecordSubjects.resolvePatientReferences(extractor, resource, identifier -> findByIdentifier("Patient",
                identifier));
    }

    /** What a refused write names as its subject: the patient reference, or a Provenance's targets. */
    static String subjectOf(IBaseResource resource, RecordEnvelope envelope) {
        return envelope.patientRef() != null ? envelope.patientRef()
                : String.join(",", RecordSubjects.governingTargets(resource));
    }

    private String personFor(Writing writing, ResourceKey key, IBaseResource resource, RecordEnvelope envelope,
                             Optional<StoredResource> previous) {
        if ("Patient".equals(key.type())) {
            return previous.map(StoredResource::personId)
                    .orElseGet(() -> registration.personForNewPatient(writing, envelope));
        }
        if (RecordSubjects.governedByTargets(key.type())) {
            return RecordSubjects.provenancePerson(RecordSubjects.governingTargets(resource),
                    target -> personOfTarget(key.tenant(), target));
        }
        if (envelope.patientRef() == null) {
            return null;
        }
        String patientId = envelope.patientRef().substring("Patient/".length());
        return records.personOf(new ResourceKey(key.tenant(), "Patient", patientId)).orElseThrow(() ->
                unknownReference(envelope.patientRef()));
    }

    /**
     * A record's {@code Binary/<id>} attachments must be Binaries of the institution about the same person as the
     * record (EHR-0463): the content a DocumentReference points at is then decided exactly as the DocumentReference
     * (its patient), and no record can expose another patient's Binary through its URL.
     */
    public void requireAttachmentsAbout(ResourceKey key, IBaseResource resource, String personId,
                                 Function<String, Optional<String>> personOf) {
        for (String binary : RecordSubjects.binaryAttachments(fhir, resource)) {
            if (!Objects.equals(personOf.apply(binary).orElse(null), personId)) {
                throw new IllegalArgumentException("EHR-0463 " + binary + " is not about the patient of this "
                        + key.type() + ": an attachment's Binary is about the record's patient (its securityContext)");
            }
        }
    }

    /** The person a record of the institution is about (empty: about nobody); an unknown record is refused. */
    public Optional<String> personOfTarget(TenantId tenant, String typeSlashId) {
        StoredResource target = records.current(RecordSubjects.key(tenant, typeSlashId)).filter(t -> !t.deleted())
                .orElseThrow(() -> unknownReference(typeSlashId));
        return Optional.ofNullable(target.personId());
    }

    /**
     * The caller must have a care relationship with the person a written record is about (see
     * {@code AccessPolicy.decideWrite}); a refusal is audited and answers exactly like a reference to a patient that
     * does not exist (EHR-0402): a caller without a relationship learns nothing about the person.
     */
    static void requireWrite(Writing writing, ResourceKey key, String personId, String subject, AccessFacts facts) {
        if (!writing.mayWrite(key, personId, facts)) {
            throw unknownReference(subject);
        }
    }

    /** The one answer to a patient reference the caller may not write about, known or not. */
    public static IllegalArgumentException unknownReference(String patientRef) {
        return new IllegalArgumentException("EHR-0402 unknown reference " + patientRef);
    }
}
