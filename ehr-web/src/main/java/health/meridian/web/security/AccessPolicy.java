package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.SensitiveCategory;
import health.meridian.domain.identity.StaffRole;
import health.meridian.domain.identity.UserAccount;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.RecordQuery.Shared;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy decision point: the one place that says whose records a caller may read or write. Deny by default.
 * Pure: it decides from the caller (validated token), the caller's {@link AccessFacts} and the {@link RecordFacts}.
 *
 * <ul>
 *   <li>Clinicians and nurses read records held by their own institution about persons of their active care teams;
 *       records there that are about no person (Organization, Practitioner, ...) too.</li>
 *   <li>A clinician reads a patient of their own institution outside their care teams only during a running
 *       break-the-glass session (purpose ETREAT); nurses cannot break the glass.</li>
 *   <li>Records held by another institution: only under an active, unrevoked grant by that person to the caller
 *       or to the caller's institution whose scope admits the record's sensitivity labels.</li>
 *   <li>Patients read their own records (token person_id = the record's person) at every institution.</li>
 *   <li>Tenant admins, researchers and platform admins read no clinical content.</li>
 *   <li>Writes: clinicians and nurses write in their institution; tenant admins register patients there.</li>
 *   <li>A registered backend service (SMART Backend Services, ADR 0031) reads and exports the records its own
 *       institution holds, as far as its {@code system/} scopes name them; never another institution's, never a
 *       write, never the JSON API's use cases.</li>
 *   <li>A token's SMART scopes narrow all of the above, never widen it ({@link #decideScope}, ADR 0025).</li>
 * </ul>
 */
@ApplicationScoped
public class AccessPolicy {

    private static final Set<String> CARE_ROLES = Set.of("clinician", "nurse");

    /** Institutions whose records the caller may search (empty = none); per-record rules apply on top. */
    public List<TenantId> readableTenants(Caller caller) {
        if ((isCareProfessional(caller) || caller.isBackendService()) && caller.tenant().isPresent()) {
            return List.of(caller.tenant().get());
        }
        return List.of();
    }

    /**
     * May the caller start a FHIR Bulk Data export at this level (ADR 0026)? Deny by default. A patient exports their
     * own record ({@code Patient/$export}: their person), nothing wider. A care professional of an institution exports
     * at every level — the system and Patient levels mean the persons of their search scope, a Group the members of
     * one of their institution's saved cohorts — and gets only the records {@link #decide} lets them read, each judged
     * when it is exported. Admins, researchers and platform admins read no clinical content, so they export nothing.
     */
    public void bulkExport(Caller caller, health.meridian.domain.export.ExportJob.Level level) {
        if (caller.hasRole("patient")) {
            if (caller.personId().isEmpty() || level != health.meridian.domain.export.ExportJob.Level.PATIENT) {
                throw new AccessDeniedException("EHR-1133 a patient exports their own record: Patient/$export");
            }
            return;
        }
        if (caller.isBackendService() && caller.tenant().isPresent()) {
            return;
        }
        if (!isCareProfessional(caller) || caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-1134 role exports no clinical content");
        }
    }

    /**
     * The institution whose every patient an export at the system or Patient level covers: a backend service's own
     * (ADR 0031: it acts for its institution, not for a user in care of some persons); empty for everyone else, whose
     * export covers {@link #exportPersons}.
     */
    public Optional<TenantId> exportsWholeInstitution(Caller caller) {
        return caller.isBackendService() ? caller.tenant() : Optional.empty();
    }

    /** The persons an export of the caller's scope covers: {@link #searchScope}'s persons and shared persons. */
    public List<String> exportPersons(Caller caller, AccessFacts facts, List<TenantId> allTenants) {
        Optional<Scope> scope = searchScope(caller, facts, allTenants);
        if (scope.isEmpty()) {
            return List.of();
        }
        Set<String> persons = new LinkedHashSet<>(scope.get().persons());
        scope.get().shared().forEach(s -> persons.add(s.person()));
        persons.remove(Scope.NOBODY);
        return List.copyOf(persons);
    }

    /**
     * The institution an export job belongs to: a staff caller's own; none for a patient, whose job belongs to their
     * person (whatever home institution their token names).
     */
    public Optional<TenantId> exportInstitution(Caller caller) {
        return caller.hasRole("patient") ? Optional.empty() : Optional.of(caller.requireTenant());
    }

    /** Is this export job the caller's own? Only the caller who started it (same subject, same institution). */
    public boolean ownsExport(Caller caller, health.meridian.domain.export.ExportJob job) {
        Optional<TenantId> institution = caller.hasRole("patient") ? Optional.empty() : caller.tenant();
        return job.requester().equals(caller.subject())
                && java.util.Objects.equals(job.tenant(), institution.map(TenantId::value).orElse(null));
    }

    /**
     * May the caller start a bulk import of these resource types (FHIR {@code $import})? The same decision as each
     * write ({@link #writeTenant}): into the caller's own institution only, of types their role may write.
     */
    public TenantId bulkImportTenant(Caller caller, java.util.Collection<String> resourceTypes) {
        TenantId tenant = caller.requireTenant();
        for (String type : resourceTypes) {
            writeTenant(caller, type);
        }
        return tenant;
    }

    /** The institution a write by this caller is recorded under; refuses callers who may not write. */
    public TenantId writeTenant(Caller caller, String resourceType) {
        return writeTenant(caller, resourceType, 'c');
    }

    /**
     * As above for one interaction ({@code c}reate, {@code u}pdate, {@code d}elete, {@code s}earch for a conditional
     * write's match): the token's SMART scopes must cover it too ({@link #decideScope}), else 403 (EHR-1120).
     */
    public TenantId writeTenant(Caller caller, String resourceType, char interaction) {
        if (caller.isBackendService()) {
            throw new AccessDeniedException("EHR-1181 a backend service reads and exports; it writes nothing");
        }
        Decision scoped = decideScope(caller, resourceType, interaction);
        if (!scoped.permitted()) {
            throw new AccessDeniedException(scoped.reason());
        }
        boolean registersPatient = caller.hasRole("tenant-admin") && "Patient".equals(resourceType);
        if (!isCareProfessional(caller) && !registersPatient) {
            throw new AccessDeniedException("EHR-0302 role may not write " + resourceType);
        }
        return caller.requireTenant();
    }

    /**
     * May a new Patient record of the caller's institution be linked to the existing person {@code person}
     * (ADR 0018)? Only where the institution already holds a Patient record of them (a second registration), or the
     * person consented — an active grant to the caller or the caller's institution. A person the platform does not
     * know yet is linked by whoever registers them first (the caller's {@code firstAnywhere}).
     */
    public Decision decidePersonLink(Caller caller, AccessFacts facts, String person, boolean firstAnywhere,
                                     boolean registeredHere) {
        if (firstAnywhere || registeredHere) {
            return Decision.permit("TREAT");
        }
        String practitioner = caller.practitionerId().orElse(null);
        String institution = caller.tenant().map(TenantId::value).orElse(null);
        boolean consented = facts.grants().stream()
                .anyMatch(g -> g.admits(practitioner, institution, person, List.of(), facts.now()));
        return consented ? Decision.permit("TREAT") : Decision.deny("EHR-0450 the person named by urn:meridian:person|"
                + person + " cannot be linked here: a person is linked only by an institution that already registered"
                + " them or that they have granted access to (an active grant to you or your institution)");
    }

    /**
     * May this caller write (create, update, delete) a record of {@code resourceType} about {@code personId} held by
     * their own institution ({@link #writeTenant} decided the institution)? Only with a care relationship: a care
     * team of the caller caring for the person, or (clinicians) an active break-the-glass session. Tenant admins
     * maintain Patient (registration) records only. Records about no patient (Practitioner, Organization...) need
     * no relationship. A patient grant never admits writing: it shares, it does not delegate care.
     */
    public Decision decideWrite(Caller caller, AccessFacts facts, String resourceType, String personId) {
        if (caller.isBackendService()) {
            return Decision.deny("EHR-1181 a backend service reads and exports; it writes nothing");
        }
        Decision launched = decideLaunchWrite(caller, resourceType, personId);
        if (!launched.permitted()) {
            return launched;
        }
        if (caller.hasRole("tenant-admin") && "Patient".equals(resourceType)) {
            return Decision.permit("TREAT");
        }
        if (!isCareProfessional(caller) || caller.tenant().isEmpty()) {
            return Decision.deny("EHR-0302 role may not write " + resourceType);
        }
        if (personId == null) {
            return Decision.permit("TREAT");
        }
        return inOwnInstitution(caller, facts, new RecordFacts(caller.tenant().get(), resourceType, personId,
                java.util.List.of()));
    }

    /** May this caller read this record, and for which purpose? */
    public Decision decide(Caller caller, AccessFacts facts, RecordFacts record) {
        Decision scoped = decideScope(caller, record.type(), 'r', record.personId());
        if (!scoped.permitted()) {
            return scoped;
        }
        if (caller.hasRole("patient")) {
            return ownRecord(caller, record);
        }
        if (caller.isBackendService()) {
            return caller.tenant().filter(record.custodian()::equals).isPresent() ? Decision.permit("HOPERAT")
                    : Decision.deny("EHR-1180 a backend service reads its own institution's records only");
        }
        if (!isCareProfessional(caller) || caller.tenant().isEmpty()) {
            return Decision.deny("EHR-0310 role reads no clinical content");
        }
        if (caller.tenant().get().equals(record.custodian())) {
            return inOwnInstitution(caller, facts, record);
        }
        return underGrant(caller, facts, record);
    }

    /**
     * The search-side form of {@link #decide}, computed once per request: the institutions, persons and grants a
     * query of the mirror is confined to, or empty when the caller may see nothing (the query is then not sent).
     * Care professionals: their institution's records of care-team persons (clinicians: and break-the-glass
     * persons) and records about no person; each active grant to them or their institution as a shared person at
     * every institution, minus the sensitive categories the grant withholds (a grant's clause never admits records of
     * the caller's own institution: those are judged by care relationship only). Patients: their own records at
     * every institution. Everyone else: nothing. {@code AccessScopeContractIT} holds this to {@link #decide}.
     */
    public Optional<Scope> searchScope(Caller caller, AccessFacts facts, List<TenantId> allTenants) {
        Optional<String> launch = launchPerson(caller);
        if (launch.isPresent()) {
            return searchScopeForPerson(caller, facts, allTenants, launch.get());
        }
        if (caller.hasRole("patient")) {
            return caller.personId().filter(p -> !allTenants.isEmpty())
                    .map(p -> new Scope(allTenants, List.of(p), List.of()));
        }
        List<TenantId> own = readableTenants(caller);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        if (caller.isBackendService()) {
            return Optional.of(new Scope(own, List.of(), List.of(), true, List.of())); // the whole institution
        }
        Set<String> persons = new LinkedHashSet<>(facts.care().searchPersons());
        if (caller.hasRole("clinician")) {
            persons.addAll(facts.breakGlassPersons());
        }
        if (persons.isEmpty()) {
            persons.add(Scope.NOBODY); // never empty: an empty person list would admit the whole institution
        }
        return Optional.of(new Scope(own, List.copyOf(persons), List.of(), true, shared(caller, facts)));
    }

    /**
     * {@link #searchScope} narrowed to one person ({@link Scope#forPerson}) — a timeline page, a person's compartment —
     * decided without the list of persons in the caller's care: only whether {@code person} is in it
     * ({@link CareRelations#covers}), so its cost does not grow with the caller's care relationships (ADR 0020).
     * {@code AccessScopeContractIT} holds it equal to {@code searchScope(...).forPerson(person)}.
     */
    public Optional<Scope> searchScopeForPerson(Caller caller, AccessFacts facts, List<TenantId> allTenants,
                                                String person) {
        if (caller.hasRole("patient")) {
            return searchScope(caller, facts, allTenants).map(s -> s.forPerson(person));
        }
        List<TenantId> own = readableTenants(caller);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        if (caller.isBackendService()) {
            return Optional.of(new Scope(own, List.of(person == null ? Scope.NOBODY : person), List.of(), false,
                    List.of()));
        }
        if (launchPerson(caller).filter(p -> !p.equals(person)).isPresent()) {
            return Optional.of(new Scope(own, List.of(Scope.NOBODY), List.of(), false, List.of()));
        }
        boolean inScope = person != null && (facts.care().covers(person)
                || caller.hasRole("clinician") && facts.breakGlassPersons().contains(person));
        List<Shared> shared = shared(caller, facts).stream().filter(s -> s.person().equals(person)).toList();
        return Optional.of(new Scope(own, List.of(inScope ? person : Scope.NOBODY), List.of(), false, shared));
    }

    /**
     * Confirms a mirror hit of a search across persons against the care relationships as they are now: a record of
     * the caller's own institution about a person is answered only if that person is in the caller's care (or, for a
     * clinician, under break-the-glass). The scope such a search ran under may list a person just taken off a team
     * ({@link CareRelations#searchPersons}); this check makes the answer exact. Records of other institutions came
     * through a grant clause, which is exact already. Call {@link CareRelations#confirm} for the page first.
     */
    public boolean confirmsHit(Caller caller, AccessFacts facts, String custodian, String person) {
        if (caller.hasRole("patient") || caller.isBackendService() || person == null || caller.tenant().isEmpty()
                || !caller.tenant().get().value().equals(custodian)) {
            return true;
        }
        return facts.care().covers(person) || caller.hasRole("clinician") && facts.breakGlassPersons().contains(person);
    }

    /** Active grants to the caller or their institution, as shared persons minus the categories they withhold. */
    private static List<Shared> shared(Caller caller, AccessFacts facts) {
        String practitioner = caller.practitionerId().orElse(null);
        String institution = caller.tenant().map(TenantId::value).orElse(null);
        List<Shared> out = new ArrayList<>();
        for (AccessGrant g : facts.grants()) {
            boolean toCaller = g.grantee().practitionerId().filter(p -> p.equals(practitioner)).isPresent()
                    || g.grantee().institution().filter(t -> t.value().equals(institution)).isPresent();
            if (!toCaller || !g.isActiveAt(facts.now())) {
                continue;
            }
            GrantScope s = g.scope();
            List<String> withheld = GrantScope.ALL.equals(s.kind()) ? List.of()
                    : SensitiveCategory.CODES.stream().filter(code -> !s.categories().contains(code)).sorted().toList();
            out.add(new Shared(g.personId(), withheld));
        }
        return out;
    }

    /**
     * May the chart tell this caller that other institutions hold records about this patient (issue #20, ADR 0033)?
     * Only a care professional (token unnarrowed by SMART scopes) who may read this Patient record, who holds no
     * active grant of the person (a grant shows those records: the banner names their institutions instead), and only
     * if the person opted in and a record about them is held at an institution other than the caller's. The last
     * fact is asked last, past row-level security, and only when everything else admits: it is one bit, and without
     * the opt-in it is false whatever is held elsewhere, so the answer is the same as when nothing is.
     */
    public boolean decideOutsideRecordsHint(Caller caller, AccessFacts facts, RecordFacts patient,
                                            java.util.function.BiPredicate<String, TenantId> optedInAndHeldElsewhere) {
        if (!isCareProfessional(caller) || caller.tenant().isEmpty() || caller.scopes().narrows()
                || !"Patient".equals(patient.type()) || patient.personId() == null
                || !decide(caller, facts, patient).permitted()) {
            return false;
        }
        boolean granted = shared(caller, facts).stream().anyMatch(s -> s.person().equals(patient.personId()));
        return !granted && optedInAndHeldElsewhere.test(patient.personId(), caller.tenant().get());
    }

    /**
     * Who may read a grant itself (its FHIR Consent view): the patient who made it (their person), and its grantee —
     * the practitioner it names, or a clinician or nurse of the institution it names. Nobody else, whatever the
     * grant's status: a grant says who shares what with whom, which is the patient's business.
     */
    public Decision decideGrantRead(Caller caller, AccessGrant grant) {
        Decision scoped = decideScope(caller, "Consent", 'r', grant.personId());
        if (!scoped.permitted()) {
            return scoped;
        }
        if (caller.hasRole("patient")) {
            return caller.personId().filter(grant.personId()::equals).isPresent() ? Decision.permit("PATRQT")
                    : Decision.deny("EHR-0660 not the patient's own grant");
        }
        if (!isCareProfessional(caller) || caller.tenant().isEmpty()) {
            return Decision.deny("EHR-0661 role reads no grants");
        }
        boolean toPractitioner = caller.practitionerId().isPresent()
                && grant.grantee().practitionerId().equals(caller.practitionerId());
        boolean toInstitution = grant.grantee().institution().equals(caller.tenant());
        return toPractitioner || toInstitution ? Decision.permit(grant.purpose())
                : Decision.deny("EHR-0662 the grant is not made to the caller");
    }

    /** What a patient summary (IPS) may hold; a redeemed share code admits nothing else. */
    public static final Set<String> SUMMARY_TYPES = Set.of("Patient", "Condition", "MedicationStatement",
            "MedicationRequest", "Medication", "AllergyIntolerance", "Immunization", "Observation",
            "DiagnosticReport", "Procedure");

    /**
     * Reading for the patient summary: what {@link #decide} permits, plus, for a care professional who redeemed the
     * person's share code, the non-sensitive records of the summary types (purpose TREAT), while the access lasts.
     */
    public Decision decideForSummary(Caller caller, AccessFacts facts, RecordFacts record) {
        Decision decision = decide(caller, facts, record);
        if (decision.permitted() || !isCareProfessional(caller) || caller.tenant().isEmpty()
                || !decideScope(caller, record.type(), 'r', record.personId()).permitted()) {
            return decision;
        }
        boolean shared = record.personId() != null && facts.sharedSummaryPersons().contains(record.personId());
        if (shared && SUMMARY_TYPES.contains(record.type())
                && health.meridian.domain.access.SensitiveCategory.in(record.labels()).isEmpty()) {
            return Decision.permit("TREAT");
        }
        return decision;
    }

    /**
     * Records about no patient that a summary may carry when an entry refers to them: what the medication is, who
     * prescribed or performed, which organization or place (the IPS must be self-contained, issue #19).
     */
    public static final Set<String> SUMMARY_DIRECTORY_TYPES = Set.of("Medication", "Practitioner",
            "PractitionerRole", "Organization", "Location", "Substance");

    /**
     * Reading, for the patient summary, a record an entry of it refers to: what {@link #decideForSummary} permits,
     * plus a record about no patient of a {@link #SUMMARY_DIRECTORY_TYPES directory type}, unlabelled, held by the
     * institution that holds the referring entry, when the referring entry itself is permitted in the summary and the
     * caller's scopes admit the type — the purpose is then the referring entry's. So a patient, a grantee or a share
     * code's redeemer, who may not read the institution's directory otherwise, get the Medication their prescription
     * names, and nothing the summary does not refer to.
     */
    public Decision decideReferencedInSummary(Caller caller, AccessFacts facts, RecordFacts from, RecordFacts record) {
        Decision decision = decideForSummary(caller, facts, record);
        if (decision.permitted() || record.personId() != null || !SUMMARY_DIRECTORY_TYPES.contains(record.type())
                || !record.labels().isEmpty() || !record.custodian().equals(from.custodian())
                || !decideScope(caller, record.type(), 'r', record.personId()).permitted()) {
            return decision;
        }
        Decision referring = decideForSummary(caller, facts, from);
        return referring.permitted() ? Decision.permit(referring.purpose()) : decision;
    }

    /** Share codes: patients create them, care professionals of any institution redeem them. */
    public void requireShareCodeRedeemer(Caller caller) {
        if (!isCareProfessional(caller) || caller.practitionerId().isEmpty() || caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-0746 only a clinician or nurse with an institution redeems a share"
                    + " code");
        }
    }

    /** The patient portal (own grants, share codes, access log, export): patients linked to a person. */
    public String requirePatient(Caller caller) {
        if (!caller.hasRole("patient") || caller.personId().isEmpty()) {
            throw new AccessDeniedException("EHR-0740 only a patient uses the patient portal");
        }
        return caller.personId().get();
    }

    /** Access grants are managed by the patient they are of, and only by them. */
    public String requireGrantManager(Caller caller) {
        if (!caller.hasRole("patient") || caller.personId().isEmpty()) {
            throw new AccessDeniedException("EHR-0600 only a patient manages access grants");
        }
        return caller.personId().get();
    }

    /** Only clinicians with a practitioner identity and an institution may break the glass. */
    public void requireBreakGlass(Caller caller) {
        if (!caller.hasRole("clinician") || caller.practitionerId().isEmpty()) {
            throw new AccessDeniedException("EHR-0320 only a clinician may break the glass");
        }
        caller.requireTenant();
    }

    /** The one answer for a break-the-glass preview of a patient not registered at the caller's institution. */
    public static final String NOT_REGISTERED_HERE = "EHR-0658 no such patient is registered at your institution";

    /**
     * Break-the-glass preview (issue #20): whom a clinician who may break the glass would open — the registration of a
     * Patient held by the clinician's own institution (name, birth date: what its admission staff know), nothing
     * held elsewhere. A patient held only at another institution is refused exactly like one that does not exist.
     */
    public Decision decideBreakGlassPreview(Caller caller, RecordFacts record) {
        if (!caller.hasRole("clinician") || caller.practitionerId().isEmpty() || caller.tenant().isEmpty()) {
            return Decision.deny("EHR-0320 only a clinician may break the glass");
        }
        if (!"Patient".equals(record.type()) || !caller.tenant().get().equals(record.custodian())) {
            return Decision.deny(NOT_REGISTERED_HERE);
        }
        return Decision.permit("ETREAT");
    }

    /**
     * Naming a patient on an administrative screen (audit rows, break-the-glass review; issue #20, ADR 0027): a
     * tenant admin sees the name of a Patient their own institution holds, nobody else sees any (another
     * institution's patient stays an opaque label). Purpose HOPERAT (operations).
     */
    public Decision decideAdminNaming(Caller caller, RecordFacts record) {
        if (!caller.hasRole("tenant-admin") || caller.tenant().isEmpty()) {
            return Decision.deny("EHR-1200 only a tenant admin sees patient names on administrative screens");
        }
        if (!"Patient".equals(record.type()) || !caller.tenant().get().equals(record.custodian())) {
            return Decision.deny("EHR-1201 the patient is not held by the admin's institution");
        }
        return Decision.permit("HOPERAT");
    }

    /**
     * Audit readers: tenant admins (their institution's entries), patients (their own) and platform admins (the
     * platform-level entries: about no institution and no patient, e.g. failed logins).
     */
    public void requireAuditReader(Caller caller) {
        boolean admin = caller.hasRole("tenant-admin") && caller.tenant().isPresent();
        boolean patient = caller.hasRole("patient") && caller.personId().isPresent();
        if (!admin && !patient && !readsPlatformAudit(caller)) {
            throw new AccessDeniedException("EHR-0330 role may not read the audit trail");
        }
    }

    /**
     * Care teams (issue #8): only a tenant admin manages them, and only those of their own institution (the
     * returned tenant, which the caller binds). Everyone else is refused, platform admins too.
     */
    public TenantId careTeamAdminTenant(Caller caller) {
        if (!caller.hasRole("tenant-admin") || caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-0626 only a tenant admin manages care teams");
        }
        return caller.tenant().get();
    }

    /**
     * Break-the-glass review (issue #8): only a tenant admin lists and marks sessions, and only those of their own
     * institution (the returned tenant). Everyone else is refused.
     */
    public TenantId breakGlassReviewTenant(Caller caller) {
        if (!caller.hasRole("tenant-admin") || caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-0657 only a tenant admin reviews break-the-glass sessions");
        }
        return caller.tenant().get();
    }

    /**
     * Verifying the whole audit hash chain spans every institution's rows (the verdict names only seq numbers and a
     * row count, no content): platform admins only.
     */
    public void requireAuditChainVerifier(Caller caller) {
        if (!caller.hasRole("platform-admin")) {
            throw new AccessDeniedException("EHR-0685 only a platform admin verifies the whole audit chain");
        }
    }

    /** The platform's operations (institutions, the search index): platform admins only. */
    public void requirePlatformOperator(Caller caller) {
        if (!caller.hasRole("platform-admin")) {
            throw new AccessDeniedException("EHR-0686 only a platform admin operates the platform");
        }
    }

    /** Platform admins read the platform-level audit entries (no institution, no patient). */
    public boolean readsPlatformAudit(Caller caller) {
        return caller.hasRole("platform-admin");
    }

    /**
     * Cohorts (issue #8): the institutions whose population the caller may count. Tenant admins and researchers:
     * their own institution; platform admins: every institution (aggregates only). Everyone else is refused:
     * population queries are not a care activity.
     */
    public List<TenantId> cohortTenants(Caller caller, List<TenantId> all) {
        if (caller.hasRole("platform-admin")) {
            return List.copyOf(all);
        }
        if ((caller.hasRole("tenant-admin") || caller.hasRole("researcher")) && caller.tenant().isPresent()) {
            return List.of(caller.tenant().get());
        }
        throw new AccessDeniedException("EHR-0821 role may not run cohort queries");
    }

    /** Researchers count only persons who consented to research use (an active research Consent). */
    public boolean cohortNeedsResearchConsent(Caller caller) {
        return caller.hasRole("researcher") && !caller.hasRole("tenant-admin");
    }

    /** Researchers and platform admins get aggregates only, guarded against differencing. */
    public boolean cohortAggregatesOnly(Caller caller) {
        return !(caller.hasRole("tenant-admin") && caller.tenant().isPresent());
    }

    /** Only a tenant admin lists the patients of a cohort, and only of their own institution. */
    public TenantId cohortPatientListTenant(Caller caller) {
        if (!caller.hasRole("tenant-admin") || caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-0822 only a tenant admin may list a cohort's patients");
        }
        return caller.tenant().get();
    }

    /**
     * User administration (issue #8): the institution whose accounts this caller manages. A tenant admin manages
     * their own institution only (naming another is refused, never silently redirected); a platform admin names the
     * institution; everyone else is refused.
     */
    public TenantId userAdminInstitution(Caller caller, Optional<TenantId> named) {
        requireUserAdmin(caller);
        if (caller.hasRole("tenant-admin") && caller.tenant().isPresent()) {
            TenantId own = caller.tenant().get();
            if (named.isPresent() && !named.get().equals(own)) {
                throw new AccessDeniedException("EHR-0904 a tenant admin manages the users of their own institution"
                        + " only");
            }
            return own;
        }
        return named.orElseThrow(() -> new IllegalArgumentException("EHR-0905 name the institution whose users"
                + " to manage"));
    }

    /**
     * The app registry (ADR 0031): the institution whose SMART apps this caller registers, lists and revokes — a
     * tenant admin's own. Apps act on an institution's records, so the institution's administrator answers for them;
     * everyone else is refused.
     */
    public TenantId appAdminInstitution(Caller caller) {
        if (!caller.hasRole("tenant-admin") || caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-1183 only a tenant admin registers and revokes their institution's"
                    + " apps");
        }
        return caller.tenant().get();
    }

    /** Only tenant admins (of an institution) and platform admins use user administration at all. */
    public void requireUserAdmin(Caller caller) {
        boolean tenantAdmin = caller.hasRole("tenant-admin") && caller.tenant().isPresent();
        if (!tenantAdmin && !caller.hasRole("platform-admin")) {
            throw new AccessDeniedException("EHR-0901 only a tenant admin or a platform admin manages users");
        }
    }

    /**
     * May this caller change (or see) this account? Only staff accounts of an institution — never a patient's or a
     * platform admin's — and, for a tenant admin, only of their own institution. Anything else is answered as an
     * account that does not exist.
     */
    public boolean mayManageUser(Caller caller, UserAccount account) {
        boolean staffOnly = account.institution().isPresent() && !account.roles().isEmpty()
                && account.roles().stream().allMatch(StaffRole::isStaffRole);
        if (!staffOnly) {
            return false;
        }
        if (caller.hasRole("platform-admin")) {
            return true;
        }
        return caller.hasRole("tenant-admin") && caller.tenant().map(TenantId::value)
                .equals(account.institution());
    }

    /** The roles an administrator gives: clinician, nurse, researcher, tenant-admin; never platform-admin or patient. */
    public void requireGivableRole(Caller caller, String role) {
        if (role == null || !StaffRole.MERIDIAN_ROLES.contains(role)) {
            throw new IllegalArgumentException("EHR-0903 not a role: " + role + " (clinician, nurse, researcher or"
                    + " tenant-admin)");
        }
        if (!StaffRole.isStaffRole(role)) {
            throw new AccessDeniedException("EHR-0902 role " + role + " is not given through user administration");
        }
    }

    /**
     * Do the caller's SMART scopes (ADR 0025, 0028, 0031) cover {@code interaction} on {@code resourceType} for some
     * record? Scopes only narrow: this is asked on top of every other rule, never instead. A first-party token without
     * SMART resource scopes is not narrowed. Which scopes count: for a patient, {@code patient/} scopes (their launch
     * patient is their own person, which the rules above already confine them to) and {@code user/} scopes; for
     * everyone else {@code user/} scopes, and {@code patient/} scopes only with a verified launch patient (ADR 0028) —
     * which {@link #decideScope(Caller, String, char, String)} then holds each record to. Without one, a staff token
     * holding only {@code patient/} scopes reaches no clinical record (deny by default). {@code system/} scopes are for
     * backend services (ADR 0031) and admit nothing to a user's token; a backend service's token counts its
     * {@code system/} scopes only, and one without any reaches nothing.
     */
    public Decision decideScope(Caller caller, String resourceType, char interaction) {
        SmartScopes scopes = caller.scopes();
        if (caller.isBackendService()) {
            return scopes.permits(Set.of(SmartScopes.Level.SYSTEM), resourceType, interaction)
                    && scopes.hasAny(Set.of(SmartScopes.Level.SYSTEM)) ? Decision.permit(null)
                    : Decision.deny("EHR-1182 the backend service's system/ scopes do not cover " + interaction
                            + " on " + resourceType);
        }
        if (!scopes.narrows()) {
            return Decision.permit(null);
        }
        Set<SmartScopes.Level> levels = caller.hasRole("patient") || scopes.launchPerson().isPresent()
                ? Set.of(SmartScopes.Level.PATIENT, SmartScopes.Level.USER) : Set.of(SmartScopes.Level.USER);
        if (scopes.permits(levels, resourceType, interaction)) {
            return Decision.permit(null);
        }
        if (!caller.hasRole("patient") && scopes.hasAny(Set.of(SmartScopes.Level.PATIENT))
                && !scopes.hasAny(Set.of(SmartScopes.Level.USER)) && scopes.launchPerson().isEmpty()) {
            return Decision.deny("EHR-1121 patient/ scopes need a launch patient, and this token has none");
        }
        return Decision.deny("EHR-1120 the token's SMART scopes do not cover " + interaction + " on "
                + resourceType);
    }

    /**
     * {@link #decideScope(Caller, String, char)} for a record about {@code personId} (null: about no patient): a
     * staff token's {@code patient/} scope reaches only the records of its launch patient's person (ADR 0028); what
     * its {@code user/} scopes cover is judged by the rules alone. Refused: {@code EHR-1150} (answered 404 for a read).
     */
    public Decision decideScope(Caller caller, String resourceType, char interaction, String personId) {
        Decision scoped = decideScope(caller, resourceType, interaction);
        Optional<String> launch = launchPerson(caller);
        if (!scoped.permitted() || launch.isEmpty() || launch.get().equals(personId)
                || caller.scopes().permits(Set.of(SmartScopes.Level.USER), resourceType, interaction)) {
            return scoped;
        }
        return Decision.deny("EHR-1150 the token's patient/ scopes reach only its launch patient");
    }

    /**
     * A write about {@code personId} by a staff token with a launch patient: only about the launch patient, unless
     * a {@code user/} scope covers writing the type (ADR 0028).
     */
    private Decision decideLaunchWrite(Caller caller, String resourceType, String personId) {
        Optional<String> launch = launchPerson(caller);
        if (launch.isEmpty() || launch.get().equals(personId)) {
            return Decision.permit(null);
        }
        Set<SmartScopes.Level> user = Set.of(SmartScopes.Level.USER);
        SmartScopes scopes = caller.scopes();
        boolean userWrites = scopes.permits(user, resourceType, 'c') || scopes.permits(user, resourceType, 'u')
                || scopes.permits(user, resourceType, 'd');
        return userWrites ? Decision.permit(null)
                : Decision.deny("EHR-1150 the token's patient/ scopes reach only its launch patient");
    }

    /**
     * The person of a staff token's verified SMART launch patient (ADR 0028), which confines its {@code patient/}
     * scopes and all its searches; none for a patient (their own person is their context already) or a token that
     * is not narrowed.
     */
    public Optional<String> launchPerson(Caller caller) {
        return caller.hasRole("patient") || !caller.scopes().narrows() ? Optional.empty()
                : caller.scopes().launchPerson();
    }

    /**
     * The JSON API's administrative and personal use cases (grants, share codes, care teams, break-the-glass, the
     * patient portal, user administration, cohorts, the audit trail) are not FHIR resource interactions: a token
     * narrowed by SMART scopes (a third-party app's) is refused them (EHR-1122).
     */
    public void requireUnscoped(Caller caller) {
        if (caller.scopes().narrows() || caller.isBackendService()) {
            throw new AccessDeniedException("EHR-1122 a token with SMART scopes reaches FHIR resources only, not this"
                    + " use case");
        }
    }

    public boolean isCareProfessional(Caller caller) {
        return CARE_ROLES.stream().anyMatch(caller::hasRole);
    }

    private static Decision ownRecord(Caller caller, RecordFacts record) {
        Optional<String> person = caller.personId();
        return person.isPresent() && person.get().equals(record.personId())
                ? Decision.permit("PATRQT") : Decision.deny("EHR-0311 not the patient's own record");
    }

    private static Decision inOwnInstitution(Caller caller, AccessFacts facts, RecordFacts record) {
        if (record.personId() == null || facts.care().covers(record.personId())) {
            return Decision.permit("TREAT");
        }
        if (caller.hasRole("clinician") && facts.breakGlassPersons().contains(record.personId())) {
            return Decision.permit("ETREAT");
        }
        return Decision.deny("EHR-0312 patient is not in the caller's care teams");
    }

    private static Decision underGrant(Caller caller, AccessFacts facts, RecordFacts record) {
        String practitioner = caller.practitionerId().orElse(null);
        String institution = caller.tenant().map(TenantId::value).orElse(null);
        for (AccessGrant grant : facts.grants()) {
            if (grant.admits(practitioner, institution, record.personId(), record.labels(), facts.now())) {
                return Decision.permit(grant.purpose());
            }
        }
        return Decision.deny("EHR-0313 no active grant covers this record");
    }
}
