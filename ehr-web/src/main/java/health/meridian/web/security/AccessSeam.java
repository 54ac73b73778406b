package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.infrastructure.persistence.TenantBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The access-and-audit seam of clinical data. Every use case of the record store and the search mirror opens a
 * {@link Reading} or a {@link Writing} here, in its transaction: opening one binds the transaction to the caller
 * (row-level security settings and access facts, {@link AccessContext}); every record the use case would answer is
 * judged through it by the policy decision point ({@link AccessPolicy}); and it writes the audit event of what was
 * answered — each record disclosed (one event per custodian and person, {@link AuditRecorder#disclosed}) or the
 * refusal. Services hold no caller facts, decisions or audit calls of their own (ADR 0014).
 */
@ApplicationScoped
public class AccessSeam {

    /** The one refusal of a read: the same for a record that does not exist and one the caller may not see. */
    public static final String NOT_FOUND = "EHR-0314 not found or not permitted";

    @Inject
    CurrentCaller currentCaller;
    @Inject
    AccessContext access;
    @Inject
    AccessPolicy policy;
    @Inject
    AuditRecorder audit;
    @Inject
    TenantBinding binding;
    @Inject
    AccessBinding personBinding;
    @Inject
    health.meridian.domain.access.OutsideRecordsHints outsideRecords;

    /** A read (interaction {@code interaction} of {@code type/id}; id null for searches and operations). */
    public Reading reading(String interaction, String type, String id) {
        Caller caller = currentCaller.get();
        access.enterName(caller); // in the caller's own request only (a job's worker reads for a snapshot of them)
        return readingFor(caller, interaction, type, id);
    }

    /**
     * A read on behalf of {@code caller} outside their request: a bulk export job's worker reads for the caller who
     * started the job (the snapshot of their token kept with the job), judged and audited as their own reads.
     */
    public Reading readingFor(Caller caller, String interaction, String type, String id) {
        return new Reading(caller, access.bindForRead(caller),
                AuditRecorder.event(caller, AuditAction.R, interaction, type, id));
    }

    /**
     * A bulk export job's status, files or cancellation (ADR 0026): the transaction is bound to the caller's
     * institution or own person (row-level security on the job tables), and only the caller who started the job
     * finds it ({@link AccessPolicy#ownsExport}); anyone else's job is answered like one that does not exist.
     */
    public Optional<health.meridian.domain.export.ExportJob> exportJob(
            Function<Caller, Optional<health.meridian.domain.export.ExportJob>> find) {
        Caller caller = currentCaller.get();
        if (caller.hasRole("patient")) {
            caller.personId().ifPresent(personBinding::bindPerson);
        } else {
            caller.tenant().ifPresent(binding::bind);
        }
        return find.apply(caller).filter(job -> policy.ownsExport(caller, job));
    }

    /**
     * A write of {@code type} by the caller: the institution it is recorded under comes from the token
     * ({@link AccessPolicy#writeTenant}); a caller whose role may not write is refused (403, audited).
     */
    public Writing writing(AuditAction action, String interaction, String type, String id) {
        return writingFor(currentCaller.get(), action, interaction, type, id);
    }

    /**
     * A write on behalf of {@code caller} outside their request: a bulk import job's worker writes for the caller who
     * started the job (the snapshot of their token kept with the job), with the same decision as {@link #writing}.
     */
    public Writing writingFor(Caller caller, AuditAction action, String interaction, String type, String id) {
        AuditRecord event = AuditRecorder.event(caller, action, interaction, type, id);
        try {
            TenantId tenant = policy.writeTenant(caller, type, interaction(action));
            binding.bind(tenant);
            access.enterName(caller);
            return new Writing(caller, tenant, event);
        } catch (AccessDeniedException e) {
            audit.refused(event.refused(e.getMessage()));
            throw e;
        }
    }

    /**
     * An administrative or personal use case of the JSON API — care teams, grants, share codes, break-the-glass,
     * user accounts, cohorts, the audit trail, platform operations. {@code decide} is the policy's answer for the
     * caller: what the use case is bound to (a tenant, the patient's own person, or nothing further); any exception
     * from it (an {@link AccessDeniedException}, a rate limit) is audited as a refusal and rethrown. The use case
     * then reports what it did through the returned {@link Acting}, which audits it.
     */
    public Acting acting(AuditAction action, String interaction, String type, String id,
                         Function<Caller, Bound> decide) {
        return acting(action, interaction, type, id, UnaryOperator.identity(), decide);
    }

    /**
     * As above, the audit event (of the refusal too) described further from the start: the query the use case was
     * asked, its purpose of use.
     */
    public Acting acting(AuditAction action, String interaction, String type, String id,
                         UnaryOperator<AuditRecord> describe, Function<Caller, Bound> decide) {
        Caller caller = currentCaller.get();
        AuditRecord event = describe.apply(AuditRecorder.event(caller, action, interaction, type, id));
        Bound bound;
        try {
            policy.requireUnscoped(caller);
            bound = decide.apply(caller);
        } catch (RuntimeException e) {
            audit.refused(event.refused(e.getMessage()));
            throw e;
        }
        bound.tenant().ifPresent(binding::bind);
        bound.person().ifPresent(personBinding::bindPerson);
        access.enterName(caller);
        return new Acting(caller, bound, event);
    }

    /** What an administrative or personal use case is bound to: a tenant, a patient's own person, or neither. */
    public record Bound(Optional<TenantId> tenant, Optional<String> person) {
        public static Bound tenant(TenantId tenant) {
            return new Bound(Optional.of(tenant), Optional.empty());
        }

        public static Bound person(String person) {
            return new Bound(Optional.empty(), Optional.of(person));
        }

        /** Nothing further to bind: a platform operation, or the decision bound the transaction itself. */
        public static Bound none() {
            return new Bound(Optional.empty(), Optional.empty());
        }
    }

    /** An administrative or personal use case in progress: the caller, what it is bound to, and its audit. */
    public final class Acting {
        private final Caller caller;
        private final Bound bound;
        private final AuditRecord event;

        private Acting(Caller caller, Bound bound, AuditRecord event) {
            this.caller = caller;
            this.bound = bound;
            this.event = event;
        }

        public Caller caller() {
            return caller;
        }

        /** The tenant the use case is bound to (the policy decided one). */
        public TenantId tenant() {
            return bound.tenant().orElseThrow();
        }

        /** The patient's own person the use case is bound to (the policy decided one). */
        public String person() {
            return bound.person().orElseThrow();
        }

        /**
         * Done: audited as the event it opened with, refined by {@code describe} (entity, patient, detail) — in the
         * use case's transaction, or in one of its own where it has none (a long platform operation, a cohort count).
         */
        public void done(UnaryOperator<AuditRecord> describe) {
            audit.recordAlone(describe.apply(event));
        }

        /** Done: audited with the caller's institution as custodian, the person it concerned and a detail. */
        public void done(String id, String person, String detail) {
            done(e -> e.withResource(e.resourceType(), id == null ? e.resourceId() : id)
                    .about(custodian(), person, null).withDetail(detail));
        }

        /**
         * A refusal found while acting (a rule of the use case itself, a failure): audited as the event it opened
         * with, refined by {@code describe}; returned for the caller to throw.
         */
        public <E extends Exception> E refused(E e, UnaryOperator<AuditRecord> describe) {
            String why = String.valueOf(e.getMessage());
            audit.refused(describe.apply(event).refused(why));
            return e;
        }

        /**
         * The patients of {@code patientRefs} ({@code Patient/<id>}) this screen may name (issue #20, ADR 0027): a
         * tenant admin's own institution's Patients ({@link AccessPolicy#decideAdminNaming}), read through
         * {@code lookup} in the transaction bound to that institution; any other reference is left out (the screen
         * shows an opaque label). Showing the names is a disclosure: audited once per person named (interaction
         * {@code admin-names}, purpose HOPERAT), so it appears in that patient's access log.
         */
        public java.util.Map<String, StoredResource> patientsNamed(Collection<String> patientRefs,
                                                                   Function<ResourceKey, Optional<StoredResource>> lookup) {
            Optional<TenantId> tenant = caller.tenant().filter(t -> caller.hasRole("tenant-admin"));
            java.util.Map<String, StoredResource> named = new java.util.LinkedHashMap<>();
            if (tenant.isEmpty()) {
                return named;
            }
            binding.bind(tenant.get());
            patientRefs.stream().filter(java.util.Objects::nonNull).filter(r -> r.startsWith("Patient/")).distinct()
                    .forEach(ref -> lookup.apply(new ResourceKey(tenant.get(), "Patient", ref.substring(8)))
                            .filter(s -> !s.deleted())
                            .filter(s -> policy.decideAdminNaming(caller, RecordFacts.of(s)).permitted())
                            .ifPresent(s -> named.put(ref, s)));
            if (!named.isEmpty()) {
                audit.disclosed(AuditRecorder.event(caller, AuditAction.R, "admin-names", "Patient", null)
                        .withPurpose("HOPERAT").withDetail("named on " + event.interaction()),
                        named.values().stream().map(Disclosure::of).toList());
            }
            return named;
        }

        private String custodian() {
            return bound.tenant().or(caller::tenant).map(TenantId::value).orElse(null);
        }
    }

    /**
     * A SMART EHR launch from the chart (ADR 0028): only a care professional of an institution starts one, with
     * their own token — an app's token (narrowed by SMART scopes) launches no app. A refusal is audited (403,
     * {@code EHR-1152}). The launch patient is then read through {@link #reading} (interaction {@code smart-launch},
     * audited like every read; a patient the caller may not read is not found).
     */
    public Caller requireLauncher() {
        Caller caller = currentCaller.get();
        try {
            policy.requireUnscoped(caller);
            if (!policy.isCareProfessional(caller) || caller.tenant().isEmpty()) {
                throw new AccessDeniedException("EHR-1152 only a clinician or nurse of an institution launches an"
                        + " app from the chart");
            }
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.R, "smart-launch", "Patient", null)
                    .refused(e.getMessage()));
            throw e;
        }
        return caller;
    }

    /**
     * The SMART patient picker of a standalone launch (ADR 0032): the one choosing is a patient (who may choose only
     * among their own records, as the rules decide for every read) or a clinician or nurse of an institution (who may
     * choose only a patient they may read). Anyone else: {@code EHR-1157}, 403, audited.
     */
    public Caller requirePicker() {
        Caller caller = currentCaller.get();
        try {
            policy.requireUnscoped(caller);
            boolean patient = caller.roles().contains("patient") && caller.personId().isPresent();
            boolean staff = policy.isCareProfessional(caller) && caller.tenant().isPresent();
            if (!patient && !staff) {
                throw new AccessDeniedException("EHR-1157 only a patient or a clinician or nurse of an institution"
                        + " chooses the patient of a SMART app");
            }
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.R, "smart-launch", "Patient", null)
                    .refused(e.getMessage()));
            throw e;
        }
        return caller;
    }

    /**
     * Break-the-glass preview (issue #20): whom a session would open, before the reason is asked. The caller must
     * be one who may break the glass (refusal audited, 403); the transaction is bound to their own institution;
     * {@code lookup} reads the Patient there; the policy decides ({@link AccessPolicy#decideBreakGlassPreview}); the
     * preview is audited (interaction {@code break-glass-preview}, purpose ETREAT). A patient not registered at the
     * caller's institution — none, or one held only elsewhere — is answered alike (empty) and audited as a refused
     * read naming the person's holders, if any, so the attempt appears in that patient's access log.
     */
    public Optional<StoredResource> breakGlassPreview(String patientId,
                                                      Function<TenantId, Optional<StoredResource>> lookup) {
        Caller caller = currentCaller.get();
        AuditRecord event = AuditRecorder.event(caller, AuditAction.R, "break-glass-preview", "Patient", patientId)
                .withPurpose("ETREAT");
        try {
            policy.requireUnscoped(caller);
            policy.requireBreakGlass(caller);
        } catch (AccessDeniedException e) {
            audit.refused(event.refused(e.getMessage()));
            throw e;
        }
        binding.bind(caller.requireTenant());
        Optional<StoredResource> found = lookup.apply(caller.requireTenant()).filter(s -> !s.deleted())
                .filter(s -> policy.decideBreakGlassPreview(caller, RecordFacts.of(s)).permitted());
        if (found.isPresent()) {
            audit.accessed(about(event, found.get()));
        } else {
            audit.refusedRead(event.refused(AccessPolicy.NOT_REGISTERED_HERE), "Patient", patientId);
        }
        return found;
    }

    /** A read in progress: judges records for the caller and audits what it answers. */
    public final class Reading {
        private final Caller caller;
        private final AccessFacts facts;
        private final AuditRecord event;

        private Reading(Caller caller, AccessFacts facts, AuditRecord event) {
            this.caller = caller;
            this.facts = facts;
            this.event = event;
        }

        public Caller caller() {
            return caller;
        }

        /** The patient portal's reads: only a patient linked to a person (refusal audited, 403); their person. */
        public String requirePatient() {
            try {
                policy.requireUnscoped(caller);
                return policy.requirePatient(caller);
            } catch (AccessDeniedException e) {
                audit.refused(event.refused(e.getMessage()));
                throw e;
            }
        }

        /**
         * May the caller start a bulk export at {@code level} ({@link AccessPolicy#bulkExport})? A refusal is
         * audited and thrown (403).
         */
        public void requireExport(health.meridian.domain.export.ExportJob.Level level) {
            try {
                policy.bulkExport(caller, level);
            } catch (AccessDeniedException e) {
                audit.refused(event.refused(e.getMessage()));
                throw e;
            }
        }

        /**
         * The persons a bulk export of the caller's whole scope covers ({@link AccessPolicy#exportPersons}, from
         * their search scope): a patient, their own person; a care professional, the persons in their care (and
         * under break-the-glass) and those who granted them access. Every record is judged again when exported.
         */
        public List<String> exportPersons(List<TenantId> allTenants) {
            return policy.exportPersons(caller, facts, allTenants);
        }

        /** The institution whose every patient the caller's export covers ({@link AccessPolicy#exportsWholeInstitution}). */
        public Optional<TenantId> exportsWholeInstitution() {
            return policy.exportsWholeInstitution(caller);
        }

        /** The institution the caller's export job belongs to ({@link AccessPolicy#exportInstitution}). */
        public Optional<TenantId> exportInstitution() {
            return policy.exportInstitution(caller);
        }

        /** The same read with its audit event refined (query, detail, ...). */
        public Reading describedAs(UnaryOperator<AuditRecord> refine) {
            return new Reading(caller, facts, refine.apply(event));
        }

        /** The caller's search scope ({@link AccessPolicy#searchScope}); empty when they may see nothing. */
        public Optional<Scope> scope(List<TenantId> allTenants) {
            return policy.searchScope(caller, facts, allTenants);
        }

        /**
         * The caller's scope narrowed to one person ({@link AccessPolicy#searchScopeForPerson}): exact, and as cheap
         * for a clinician with ten thousand patients in care as for one with ten.
         */
        public Optional<Scope> scopeFor(String person, List<TenantId> allTenants) {
            return policy.searchScopeForPerson(caller, facts, allTenants, person);
        }

        /**
         * The query narrowed to the resource types the caller's SMART scopes let them search
         * ({@link AccessPolicy#decideScope}, interaction {@code s}); empty when they cover none of its types (the
         * query is then not sent and the answer is empty, as for records the caller may not see). A token without
         * SMART scopes gets the query unchanged.
         */
        public Optional<RecordQuery> narrowed(RecordQuery q) {
            if (!caller.scopes().narrows()) {
                return Optional.of(q);
            }
            List<String> types = q.types().stream().filter(this::searches).toList();
            if (types.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(types.size() == q.types().size() ? q : new RecordQuery(q.scope(), types, q.criteria(),
                    q.sort(), q.count(), q.searchAfter(), q.facets(), q.histogram(), q.withResource()));
        }

        /** A result found without the mirror (its own query), keeping only hits of types the scopes let be searched. */
        public SearchResult narrowed(SearchResult result) {
            if (!caller.scopes().narrows()) {
                return result;
            }
            List<SearchResult.Hit> kept = result.hits().stream().filter(h -> searches(h.type())).toList();
            if (kept.size() == result.hits().size()) {
                return result;
            }
            return new SearchResult(kept.size(), kept, java.util.Map.of(), List.of());
        }

        /**
         * May the caller list records of {@code type} (null: of every type, system history) under their SMART scopes
         * (interaction {@code s}; every type needs a {@code *} scope)? Always for a token without SMART scopes.
         */
        public boolean lists(String type) {
            return searches(type == null ? "*" : type);
        }

        private boolean searches(String type) {
            return policy.decideScope(caller, type, 's').permitted();
        }

        /**
         * The hits of a search across persons that the care relationships confirm now
         * ({@link AccessPolicy#confirmsHit}; one lookup for the page): the scope's list of persons in care may lag
         * a patient taken off a team by up to a minute, the answer never does. The total drops by what was removed.
         */
        public SearchResult confirmed(SearchResult result) {
            List<SearchResult.Hit> kept = confirmedHits(result.hits(), SearchResult.Hit::tenant,
                    h -> Disclosure.of(h).personId());
            if (kept.size() == result.hits().size()) {
                return result;
            }
            long total = Math.max(kept.size(), result.total() - (result.hits().size() - kept.size()));
            return new SearchResult(total, kept, result.facets(), result.histogram());
        }

        /** As {@link #confirmed(SearchResult)}, for records a query of the system of record found under the scope. */
        public List<StoredResource> confirmedRecords(List<StoredResource> found) {
            if (caller.scopes().narrows()) {
                found = found.stream().filter(r -> policy.decideScope(caller, r.key().type(), 'r').permitted())
                        .toList();
            }
            return confirmedHits(found, r -> r.key().tenant().value(), StoredResource::personId);
        }

        /**
         * The found items whose care relationship the policy confirms ({@link AccessPolicy#confirmsHit}), the persons
         * of the caller's own institution confirmed in one lookup first; a patient's scope needs no confirmation.
         */
        private <T> List<T> confirmedHits(List<T> found, java.util.function.Function<T, String> tenant,
                                          java.util.function.Function<T, String> person) {
            if (found.isEmpty() || caller.hasRole("patient")) {
                return found;
            }
            String own = caller.tenant().map(TenantId::value).orElse(null);
            facts.care().confirm(found.stream().filter(f -> tenant.apply(f).equals(own)).map(person)
                    .filter(java.util.Objects::nonNull).distinct().toList());
            return found.stream().filter(f -> policy.confirmsHit(caller, facts, tenant.apply(f), person.apply(f)))
                    .toList();
        }

        public boolean permits(StoredResource stored) {
            return decision(stored).permitted();
        }

        /** A holder of {@code type/id} as the locator found it, judged before its record is read. */
        public boolean permits(String type, health.meridian.domain.access.RecordLocator.Holder holder) {
            return policy.decide(caller, facts, new RecordFacts(holder.custodian(), type, holder.personId(),
                    holder.labels())).permitted();
        }

        /** A version of a record, judged by its own labels and the record's custodian and person. */
        public boolean permits(StoredResource version, StoredResource current) {
            return policy.decide(caller, facts, new RecordFacts(current.key().tenant(), current.key().type(),
                    current.personId(), version.envelope().sensitivity())).permitted();
        }

        /** For the patient summary: {@link AccessPolicy#decideForSummary} (a redeemed share code counts). */
        public boolean permitsInSummary(StoredResource stored) {
            return policy.decideForSummary(caller, facts, RecordFacts.of(stored)).permitted();
        }

        /** A holder of {@code type/id} as the locator found it, judged for the summary before its record is read. */
        public boolean permitsInSummary(String type, health.meridian.domain.access.RecordLocator.Holder holder) {
            return policy.decideForSummary(caller, facts, new RecordFacts(holder.custodian(), type,
                    holder.personId(), holder.labels())).permitted();
        }

        /** For a record the summary's entry {@code from} refers to: {@link AccessPolicy#decideReferencedInSummary}. */
        public boolean permitsReferencedInSummary(StoredResource from, StoredResource stored) {
            return policy.decideReferencedInSummary(caller, facts, RecordFacts.of(from), RecordFacts.of(stored))
                    .permitted();
        }

        public String purposeInSummary(StoredResource stored) {
            return policy.decideForSummary(caller, facts, RecordFacts.of(stored)).purpose();
        }

        /**
         * The outside-records hint about this Patient record, which the caller may read (ADR 0033): decided by
         * {@link AccessPolicy#decideOutsideRecordsHint} and audited as the read it is (interaction of this reading,
         * with the record's custodian and person). The audit detail does not say whether a hint was shown: the
         * audit trail is read by the caller's institution's administrators, who may not learn that bit.
         */
        public boolean outsideRecordsHint(StoredResource patient) {
            boolean hint = policy.decideOutsideRecordsHint(caller, facts, RecordFacts.of(patient),
                    outsideRecords::optedInAndHeldElsewhere);
            audit.accessed(about(event, patient).withPurpose(decision(patient).purpose())
                    .withDetail("outside-records hint asked"));
            return hint;
        }

        /** May the caller read this grant (its FHIR Consent view)? {@link AccessPolicy#decideGrantRead}. */
        public boolean permitsGrant(AccessGrant grant) {
            return policy.decideGrantRead(caller, grant).permitted();
        }

        /** A grant answered: audited with its person and the purpose the policy permitted. */
        public void foundGrant(AccessGrant grant) {
            audit.accessed(event.about(null, grant.personId(), null)
                    .withPurpose(policy.decideGrantRead(caller, grant).purpose()));
        }

        /** A computed resource that does not exist for the caller (no holders to name): audited as refused. */
        public void notFound() {
            audit.accessed(event.refused(NOT_FOUND));
        }

        /** Answered as described (e.g. a list of grants of one patient): one event. */
        public void answered() {
            audit.accessed(event);
        }

        /** Binds the transaction to the caller again (after a use case bound another institution to read it). */
        public void rebind() {
            access.bindForRead(caller);
        }

        /** One record answered: audited with its custodian, person and the purpose the policy permitted. */
        public StoredResource found(StoredResource stored) {
            audit.accessed(about(event, stored).withPurpose(decision(stored).purpose()));
            return stored;
        }

        /** Nothing the caller may see: audited as a refused read that names the record's holders, if any. */
        public void notFound(String type, String id) {
            audit.refusedRead(event.refused(NOT_FOUND), type, id);
        }

        /** Records answered (a summary, an export, a compartment): one event per custodian and person. */
        public void disclosed(Collection<StoredResource> records, String purpose) {
            audit.disclosed(event.withPurpose(purpose), records.stream().map(Disclosure::of).toList());
        }

        /** Mirror hits or other disclosures answered: one event per custodian and person. */
        public void disclosed(List<Disclosure> disclosures) {
            audit.disclosed(event, disclosures);
        }

        private Decision decision(StoredResource stored) {
            return policy.decide(caller, facts, RecordFacts.of(stored));
        }
    }

    /** A write in progress: the institution it is recorded under, its care-relationship checks and its audit. */
    public final class Writing {
        private final Caller caller;
        private final TenantId tenant;
        private final AuditRecord event;

        private Writing(Caller caller, TenantId tenant, AuditRecord event) {
            this.caller = caller;
            this.tenant = tenant;
            this.event = event;
        }

        public TenantId tenant() {
            return tenant;
        }

        public Caller caller() {
            return caller;
        }

        /**
         * A bulk job's writes, audited once per person written about (not once per resource): one event per
         * custodian and person, the detail saying how many resources the job stored.
         */
        public void wroteAbout(String interaction, String type, Collection<String> persons, String detail) {
            audit.disclosed(AuditRecorder.event(caller, event.action(), interaction, type, null).withPurpose("TREAT")
                    .withDetail(detail), persons.stream().map(p -> new Disclosure(tenant.value(), p, null)).toList());
        }

        /** The caller's facts for a series of write decisions (gathered afresh: never older than the write). */
        public AccessFacts facts() {
            AccessFacts facts = access.bindForWrite(caller);
            binding.bind(tenant);
            return facts;
        }

        /** May the caller write about this person here? A refusal is audited (outliving the rollback). */
        public boolean mayWrite(ResourceKey key, String personId) {
            return mayWrite(key, personId, facts());
        }

        public boolean mayWrite(ResourceKey key, String personId, AccessFacts facts) {
            binding.bind(key.tenant());
            Decision decision = policy.decideWrite(caller, facts, key.type(), personId);
            if (!decision.permitted()) {
                audit.refused(AuditRecorder.event(caller, AuditAction.U, "write", key.type(), key.id())
                        .about(key.tenant().value(), personId, null).refused(decision.reason()));
            }
            return decision.permitted();
        }

        /** Refuses the write (audited) with the answer {@code why} gives. */
        public void refused(String why, String personId) {
            audit.refused(event.about(tenant.value(), personId, null).refused(why));
        }

        /** Many records written at once (a transaction bundle): one event per custodian and person written. */
        public void wroteAll(String interaction, String type, Collection<StoredResource> stored, String detail) {
            audit.disclosed(AuditRecorder.event(caller, event.action(), interaction, type, null).withPurpose("TREAT")
                    .withDetail(detail), stored.stream().map(Disclosure::of).toList());
        }

        /** The write done: audited with the record's custodian and person (purpose TREAT). */
        public StoredResource written(StoredResource stored) {
            audit.accessed(AuditRecorder.event(caller, event.action(), event.interaction(), stored.key().type(),
                    stored.key().id()).about(stored.key().tenant().value(), stored.personId(),
                    stored.envelope().patientRef()).withPurpose("TREAT"));
            return stored;
        }
    }

    /** The SMART interaction an audited write action needs: create, update, delete, or search (a conditional match). */
    static char interaction(AuditAction action) {
        return switch (action) {
            case C -> 'c';
            case R -> 's';
            case D -> 'd';
            case U, E -> 'u';
        };
    }

    private static AuditRecord about(AuditRecord event, StoredResource stored) {
        return event.about(stored.key().tenant().value(), stored.personId(), stored.envelope().patientRef());
    }
}
