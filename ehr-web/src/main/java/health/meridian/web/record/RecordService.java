package health.meridian.web.record;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.PersonRegistry;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessDeniedException;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import health.meridian.web.security.Decision;
import health.meridian.web.security.RecordFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Use cases of the longitudinal record store. Each public method is one transaction bound to the caller (row-level
 * security) in which the access policy decides about every record returned and the audit event of the access is
 * written (refusals that throw are audited in a transaction of their own).
 */
@ApplicationScoped
@Transactional
public class RecordService {

    /** Identifier system whose value links a Patient record to a person (the token's person_id). */
    public static final String PERSON_SYSTEM = "urn:meridian:person";
    /** The one refusal of a read: the same for a record that does not exist and one the caller may not see. */
    private static final String NOT_FOUND = "EHR-0314 not found or not permitted";

    @Inject
    RecordRepository records;
    @Inject
    PersonRegistry persons;
    @Inject
    TenantBinding binding;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    FhirContext fhir;
    @Inject
    EnvelopeExtractor extractor;
    @Inject
    AccessContext access;
    @Inject
    RecordLocator locator;
    @Inject
    AuditRecorder audit;
    @Inject
    TenantService tenants;
    @Inject
    health.meridian.domain.access.CareTeamDirectory careTeams;

    public StoredResource create(IBaseResource resource) {
        return createWithId(UUID.randomUUID().toString(), resource);
    }

    /** Conditional create in one transaction: the existing resource with the identifier, or a new one. */
    public Created createIfNoneExist(IBaseResource resource, String identifier) {
        Optional<String> existing = findForConditionalCreate(resource.fhirType(), identifier);
        if (existing.isPresent()) {
            TenantId tenant = writeScope(AuditAction.R, "read", resource.fhirType(), existing.get());
            return new Created(records.current(new ResourceKey(tenant, resource.fhirType(), existing.get()))
                    .orElseThrow(), false);
        }
        return new Created(create(resource), true);
    }

    /**
     * Conditional update ({@code PUT /Type?identifier=system|value}) in one transaction: updates the one resource
     * with the identifier, or creates it when there is none (the identifier is locked until commit, so two
     * concurrent conditional updates cannot both create); more than one match is an error.
     */
    public Created conditionalUpdate(String type, String identifier, IBaseResource resource) {
        Optional<String> existing = findForConditionalCreate(type, identifier);
        if (existing.isPresent()) {
            String bodyId = resource.getIdElement().getIdPart();
            if (bodyId != null && !bodyId.equals(existing.get())) {
                throw new IllegalArgumentException("EHR-0412 the resource id " + bodyId
                        + " is not the id of the resource matching " + type + "?identifier=" + identifier);
            }
            return new Created(update(type, existing.get(), resource), false);
        }
        return new Created(create(resource), true);
    }

    /** The outcome of a conditional create. */
    public record Created(StoredResource stored, boolean isNew) {
    }

    /** Creates with an id chosen beforehand (transaction bundles resolve urn:uuid references to it). */
    public StoredResource createWithId(String id, IBaseResource resource) {
        String type = resource.fhirType();
        TenantId tenant = writeScope(AuditAction.C, "create", type, id);
        return audited(AuditAction.C, "create", store(new ResourceKey(tenant, type, id), resource));
    }

    /**
     * The id of the one current resource of a type with the identifier {@code system|value} in the caller's write
     * institution; empty if none; an error if the criteria match more than one.
     */
    public Optional<String> findByIdentifier(String type, String identifier) {
        TenantId tenant = writeScope(AuditAction.R, "search-type", type, null);
        List<StoredResource> matches = records.findByIdentifier(new ResourceKey(tenant, type, "scope"), identifier)
                .stream().map(records::current).flatMap(Optional::stream).filter(this::readable).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException("EHR-0411 " + type + "?identifier=" + identifier + " matches "
                    + matches.size() + " resources");
        }
        matches.forEach(m -> audit.accessed(about(AuditRecorder.event(caller(), AuditAction.R, "search-type", type,
                m.key().id()).withQuery("identifier=" + identifier).withDetail("conditional match"), m)
                .withPurpose(decide(caller(), access.bindForRead(caller()), m).purpose())));
        binding.bind(tenant);
        return matches.stream().findFirst().map(m -> m.key().id());
    }

    /**
     * May the caller read this record? A conditional match (If-None-Exist, conditional update, conditional
     * reference) is a search by the caller: a record they may not read does not match, exactly as if it did not exist.
     */
    private boolean readable(StoredResource stored) {
        Caller caller = caller();
        boolean permitted = decide(caller, access.bindForRead(caller), stored).permitted();
        binding.bind(stored.key().tenant());
        return permitted;
    }

    /**
     * Like {@link #findByIdentifier} for a conditional create: first takes a lock on the identifier that is held
     * until commit, so two concurrent conditional creates of the same identifier cannot both create.
     */
    public Optional<String> findForConditionalCreate(String type, String identifier) {
        TenantId tenant = writeScope(AuditAction.C, "create", type, null);
        records.lockIdentifier(new ResourceKey(tenant, type, "scope"), identifier);
        return findByIdentifier(type, identifier);
    }

    public StoredResource update(String type, String id, IBaseResource resource) {
        if (!type.equals(resource.fhirType())) {
            throw new IllegalArgumentException("EHR-0401 resource type " + resource.fhirType()
                    + " does not match the URL type " + type);
        }
        TenantId tenant = writeScope(AuditAction.U, "update", type, id);
        ResourceKey key = new ResourceKey(tenant, type, id);
        Optional<StoredResource> previous = records.current(key);
        if (previous.isEmpty() || !mayWrite(key, previous.get().personId())) {
            audit.refused(AuditRecorder.event(caller(), AuditAction.U, "update", type, id)
                    .about(tenant.value(), previous.map(StoredResource::personId).orElse(null), null)
                    .refused(NO_SUCH_ID));
            throw new UnknownIdException(NO_SUCH_ID + ": " + type + "/" + id);
        }
        return audited(AuditAction.U, "update", store(key, resource));
    }

    /**
     * Ids are assigned by the server (POST); a PUT names a record the caller may write in their institution. An id
     * unknown there, held by another institution, or about a patient the caller has no care relationship with gets
     * this one answer (405, as R4 prescribes for a server without client-defined ids), so a PUT reveals nothing.
     */
    private static final String NO_SUCH_ID = "EHR-0406 no such record to update (ids are assigned by the server:"
            + " create with POST)";

    /** A PUT of an id the caller may not update, answered like an unknown id. */
    public static class UnknownIdException extends RuntimeException {
        public UnknownIdException(String message) {
            super(message);
        }
    }

    public Optional<StoredResource> delete(String type, String id) {
        requireStorable(type, id);
        TenantId tenant = writeScope(AuditAction.D, "delete", type, id);
        ResourceKey target = new ResourceKey(tenant, type, id);
        Optional<StoredResource> current = records.current(target);
        if (current.isPresent() && !mayWrite(target, current.get().personId())) {
            audit.refused(AuditRecorder.event(caller(), AuditAction.D, "delete", type, id)
                    .about(tenant.value(), current.get().personId(), null).refused(NOT_FOUND));
            return Optional.empty(); // answered exactly like an id that does not exist
        }
        Optional<StoredResource> deleted = records.markDeleted(new ResourceKey(tenant, type, id));
        deleted.ifPresent(d -> audited(AuditAction.D, "delete", d));
        return deleted;
    }

    public Optional<StoredResource> read(String type, String id) {
        return readPermitted("read", type, id, records::current);
    }

    public Optional<StoredResource> readVersion(String type, String id, int version) {
        return readPermitted("vread", type, id, key -> records.version(key, version));
    }

    /**
     * The versions the caller may see, newest first, deletion markers included (a version whose labels the caller
     * may not see is left out; a deletion marker is judged by the labels of the version it deletes).
     */
    public List<StoredResource> history(String type, String id) {
        Caller caller = caller();
        AccessFacts facts = access.bindForRead(caller);
        Optional<StoredResource> current = locate(caller, facts, type, id);
        List<StoredResource> all = current.map(c -> records.history(c.key())).orElse(List.of());
        List<StoredResource> versions = all.stream()
                .filter(v -> judgedBy(v, all).map(j -> policy.decide(caller, facts, factsOf(j, current.get()))
                        .permitted()).orElse(false)).toList();
        AuditRecord event = AuditRecorder.event(caller, AuditAction.R, "history-instance", type, id);
        if (versions.isEmpty()) {
            audit.refusedRead(event.refused(NOT_FOUND), type, id);
        } else {
            audit.accessed(about(event, versions.get(0)).withPurpose(decide(caller, facts, versions.get(0)).purpose()));
        }
        return versions;
    }

    private Optional<StoredResource> readPermitted(String interaction, String type, String id,
                                                   java.util.function.Function<ResourceKey,
                                                           Optional<StoredResource>> fetch) {
        Caller caller = caller();
        AccessFacts facts = access.bindForRead(caller);
        Optional<StoredResource> found = locate(caller, facts, type, id)
                .flatMap(current -> fetch.apply(current.key())
                        .filter(v -> policy.decide(caller, facts, factsOf(v, current)).permitted()));
        AuditRecord event = AuditRecorder.event(caller, AuditAction.R, interaction, type, id);
        if (found.isPresent()) {
            audit.accessed(about(event, found.get()).withPurpose(decide(caller, facts, found.get()).purpose()));
        } else {
            audit.refusedRead(event.refused(NOT_FOUND), type, id);
        }
        return found;
    }

    /**
     * The current version of the resource at the first institution holding it where the policy permits the
     * caller to see it. Row-level security already hides what no rule could admit; the policy decides the rest.
     */
    private Optional<StoredResource> locate(Caller caller, AccessFacts facts, String type, String id) {
        for (TenantId custodian : locator.custodiansOf(type, id)) {
            Optional<StoredResource> current = records.current(new ResourceKey(custodian, type, id));
            if (current.isPresent() && decide(caller, facts, current.get()).permitted()) {
                return current;
            }
        }
        return Optional.empty();
    }

    private Decision decide(Caller caller, AccessFacts facts, StoredResource stored) {
        return policy.decide(caller, facts, RecordFacts.of(stored));
    }

    /** The version whose labels judge {@code version}: itself, or for a deletion marker the version it deletes. */
    private static Optional<StoredResource> judgedBy(StoredResource version, List<StoredResource> all) {
        if (!version.deleted()) {
            return Optional.of(version);
        }
        return all.stream().filter(v -> v.version() == version.version() - 1).findFirst();
    }

    /** A version is judged by its own labels and the resource's person (a deletion marker carries no labels). */
    private static RecordFacts factsOf(StoredResource version, StoredResource current) {
        return new RecordFacts(current.key().tenant(), current.key().type(), current.personId(),
                version.envelope().sensitivity());
    }

    private StoredResource audited(AuditAction action, String interaction, StoredResource stored) {
        AuditRecord event = AuditRecorder.event(caller(), action, interaction, stored.key().type(),
                stored.key().id());
        audit.accessed(about(event, stored).withPurpose("TREAT"));
        return stored;
    }

    private static AuditRecord about(AuditRecord event, StoredResource stored) {
        return event.about(stored.key().tenant().value(), stored.personId(), stored.envelope().patientRef());
    }

    /**
     * Everything about the patient's person that the caller may see, from every institution they may read:
     * the Patient/$everything compartment (capped at {@code limit}).
     */
    public List<StoredResource> everything(String patientId, int limit) {
        StoredResource patient = read("Patient", patientId).filter(p -> !p.deleted()).orElse(null);
        if (patient == null) {
            return List.of();
        }
        Caller caller = caller();
        List<StoredResource> out = new java.util.ArrayList<>();
        for (TenantId tenant : tenants.all().stream().map(health.meridian.domain.tenant.Institution::id).toList()) {
            AccessFacts facts = access.bindForRead(caller);
            binding.bind(tenant);
            records.compartment(patient.personId(), limit).stream()
                    .filter(s -> decide(caller, facts, s).permitted())
                    .limit(limit - out.size()).forEach(out::add);
        }
        List<health.meridian.web.security.Disclosure> disclosed = new java.util.ArrayList<>();
        disclosed.add(health.meridian.web.security.Disclosure.of(patient));
        out.forEach(s -> disclosed.add(health.meridian.web.security.Disclosure.of(s)));
        audit.disclosed(AuditRecorder.event(caller, AuditAction.R, "operation", "Patient", patientId)
                .withDetail("$everything"), disclosed);
        return out;
    }

    /** Ids of computed resources (a grant's Consent view) are never stored: they are read-only. */
    private static void requireStorable(String type, String id) {
        if (health.meridian.web.fhir.GrantConsent.isGrantConsent(type, id)) {
            throw new IllegalArgumentException("EHR-0663 Consent/" + id + " is the FHIR view of an access grant;"
                    + " grants are changed through /api/grants");
        }
    }

    private StoredResource store(ResourceKey key, IBaseResource resource) {
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
        String personId = personFor(key, resource, envelope, previous);
        String subject = subjectOf(resource, envelope);
        if (previous.isPresent() || !"Patient".equals(key.type())) {
            requireWrite(key, previous.map(StoredResource::personId).orElse(personId), subject);
            previous.filter(p -> !java.util.Objects.equals(p.personId(), personId))
                    .ifPresent(p -> requireWrite(key, personId, subject));
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
                : String.join(",", RecordSubjects.provenanceTargets(resource));
    }

    private String personFor(ResourceKey key, IBaseResource resource, RecordEnvelope envelope,
                             Optional<StoredResource> previous) {
        if ("Patient".equals(key.type())) {
            return previous.map(StoredResource::personId).orElseGet(() -> personForNewPatient(envelope));
        }
        if ("Provenance".equals(key.type())) {
            return RecordSubjects.provenancePerson(RecordSubjects.provenanceTargets(resource),
                    target -> personOfTarget(key.tenant(), target));
        }
        if (envelope.patientRef() == null) {
            return null;
        }
        String patientId = envelope.patientRef().substring("Patient/".length());
        return records.personOf(new ResourceKey(key.tenant(), "Patient", patientId)).orElseThrow(() ->
                unknownReference(envelope.patientRef()));
    }

    /** The person a record of the institution is about (empty: about nobody); an unknown record is refused. */
    public Optional<String> personOfTarget(TenantId tenant, String typeSlashId) {
        StoredResource target = records.current(RecordSubjects.key(tenant, typeSlashId)).filter(t -> !t.deleted())
                .orElseThrow(() -> unknownReference(typeSlashId));
        return Optional.ofNullable(target.personId());
    }

    /**
     * The caller must have a care relationship with the person a written record is about (see
     * {@link AccessPolicy#decideWrite}); a refusal is audited and answers exactly like a reference to a patient that
     * does not exist (EHR-0402): a caller without a relationship learns nothing about the person.
     */
    public void requireWrite(ResourceKey key, String personId, String patientRef) {
        requireWrite(key, personId, patientRef, access.bindForWrite(caller()));
    }

    /** As {@link #requireWrite(ResourceKey, String, String)} with the caller's access facts already gathered. */
    public void requireWrite(ResourceKey key, String personId, String patientRef, AccessFacts facts) {
        if (!mayWrite(key, personId, facts)) {
            throw unknownReference(patientRef);
        }
    }

    /** The one answer to a patient reference the caller may not write about, known or not. */
    public static IllegalArgumentException unknownReference(String patientRef) {
        return new IllegalArgumentException("EHR-0402 unknown reference " + patientRef);
    }

    private boolean mayWrite(ResourceKey key, String personId) {
        return mayWrite(key, personId, access.bindForWrite(caller()));
    }

    /** The write decision; a refusal is audited (in a transaction of its own, it outlives the rollback). */
    private boolean mayWrite(ResourceKey key, String personId, AccessFacts facts) {
        binding.bind(key.tenant());
        Decision decision = policy.decideWrite(caller(), facts, key.type(), personId);
        if (!decision.permitted()) {
            audit.refused(AuditRecorder.event(caller(), AuditAction.U, "write", key.type(), key.id())
                    .about(key.tenant().value(), personId, null).refused(decision.reason()));
        }
        return decision.permitted();
    }

    /** The caller's access facts (care teams, break-glass, grants) for a series of write decisions. */
    public AccessFacts writeFacts(TenantId tenant) {
        AccessFacts facts = access.bindForWrite(caller());
        binding.bind(tenant);
        return facts;
    }

    /**
     * The person of a newly registered Patient record. The registering clinician or nurse gets the care relationship
     * of registration (their "registered by" care team at this institution) only where that admits no record that
     * already exists: for a new person, or a person registered for the first time at this institution. Naming an
     * existing person who already has a record here never opens those records (ADR 0012): the registrant then needs
     * a care team, like anyone else, to see or add to them.
     */
    public String personForNewPatient(RecordEnvelope envelope) {
        Caller c = caller();
        Optional<String> named = namedPerson(envelope);
        boolean firstHere = named.map(p -> persons.ensureNew(p) || !registeredHere(c, p)).orElse(true);
        String person = named.orElseGet(persons::register);
        if (firstHere && c.practitionerId().isPresent() && policy.isCareProfessional(c)) {
            careTeams.enrolRegisteredPatient(c.practitionerId().get(), c.hasRole("clinician") ? "clinician" : "nurse",
                    person);
            access.forget();
        }
        return person;
    }

    /** Does the caller's institution already hold a Patient record of this person (past the caller's own view)? */
    private boolean registeredHere(Caller caller, String person) {
        String here = caller.requireTenant().value();
        return locator.patientRecordsOf(person, here).stream().anyMatch(k -> k.tenant().value().equals(here));
    }

    /**
     * The person named by the new Patient's identifier {@code urn:meridian:person|<id>} (the id patients carry in
     * their token as person_id), if any. See ADR 0012.
     */
    private Optional<String> namedPerson(RecordEnvelope envelope) {
        return envelope.identifiers().stream().filter(i -> i.startsWith(PERSON_SYSTEM + "|"))
                .map(i -> i.substring(PERSON_SYSTEM.length() + 1)).findFirst();
    }

    /** The institution the write is recorded under; a refusal is audited before it propagates. */
    private TenantId writeScope(AuditAction action, String interaction, String type, String id) {
        try {
            TenantId tenant = policy.writeTenant(caller(), type);
            binding.bind(tenant);
            return tenant;
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller(), action, interaction, type, id).refused(e.getMessage()));
            throw e;
        }
    }

    private Caller caller() {
        return currentCaller.get();
    }
}
