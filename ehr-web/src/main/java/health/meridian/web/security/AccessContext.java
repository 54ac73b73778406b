package health.meridian.web.security;

import health.meridian.domain.access.AccessGrantRepository;
import health.meridian.domain.access.BreakGlassRepository;
import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.infrastructure.persistence.AccessFactVersions;
import health.meridian.infrastructure.persistence.TenantBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Prepares the current transaction for a read by this caller: binds the row-level security settings from the
 * token (institution for staff, person for patients, practitioner for grants) and loads the caller's
 * {@link AccessFacts}. A patient is never bound to an institution, so RLS shows them only their own rows.
 */
@ApplicationScoped
public class AccessContext {

    @Inject
    TenantBinding tenantBinding;
    @Inject
    AccessBinding accessBinding;
    @Inject
    AccessPolicy policy;
    @Inject
    CareTeamDirectory careTeams;
    @Inject
    AccessGrantRepository grants;
    @Inject
    BreakGlassRepository breakGlass;
    @Inject
    health.meridian.domain.share.ShareCodeRepository shareCodes;
    @Inject
    health.meridian.domain.access.PractitionerDirectory directory;
    @Inject
    CareRelationsCache careLists;
    @Inject
    AccessFactsCache kept;
    @Inject
    health.meridian.infrastructure.persistence.AccessFactVersions versions;
    @Inject
    health.meridian.domain.access.StaffNames staffNames;
    @jakarta.annotation.Resource
    TransactionSynchronizationRegistry transactions;
    private final Set<String> entered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> named = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.List<String> STAFF_ROLES = java.util.List.of("clinician", "nurse", "tenant-admin",
            "platform-admin", "researcher");

    /** Key of the facts gathered for a caller in the current transaction (see {@link #bindForRead}). */
    private static final String FACTS = AccessContext.class.getName() + ".facts";

    private record Gathered(Caller caller, AccessFacts facts) {
    }

    /**
     * Binds the transaction for a read by {@code caller} and returns their access facts. Within one transaction
     * the facts are gathered once (a timeline page reads the Patient and then searches: both need them; a
     * {@code $everything} asks once per institution) and the bindings are set again on every call. A write
     * gathers afresh and drops what was gathered ({@link #bindForWrite}), so a read after a write in the same
     * transaction (a transaction Bundle registering a Patient, then reading) sees the relationship the write made.
     */
    public AccessFacts bindForRead(Caller caller) {
        Gathered g = active() ? (Gathered) transactions.getResource(FACTS) : null;
        if (g != null && g.caller().equals(caller)) {
            bind(caller);
            return g.facts();
        }
        AccessFacts facts = gather(caller, active());
        if (active()) {
            transactions.putResource(FACTS, new Gathered(caller, facts));
        }
        return facts;
    }

    /**
     * As {@link #bindForRead}, for a write decision: always gathered from the database, neither taken from nor put
     * into this instance's {@link AccessFactsCache}.
     */
    public AccessFacts bindForWrite(Caller caller) {
        dropGathered();
        return gather(caller, false);
    }

    /**
     * Drops the facts gathered in this transaction and this instance's lists of persons in care: call after
     * changing a care relationship, grant or session.
     */
    public void forget() {
        careLists.invalidate();
        dropGathered();
        versions.writtenHere(); // and the rest of this transaction neither uses nor fills the kept facts
    }

    private void dropGathered() {
        if (active()) {
            transactions.putResource(FACTS, null);
        }
    }

    private boolean active() {
        return transactions != null && transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
    }

    /** Binds the transaction; a clinician's binding statement also reads the access-fact counter (V29). */
    private Optional<AccessFactVersions.Seen> bind(Caller caller) {
        if (caller.hasRole("patient")) {
            caller.personId().ifPresent(accessBinding::bindPersonForReading);
            return Optional.empty();
        }
        if (caller.tenant().isPresent() && caller.practitionerId().isPresent()) {
            return Optional.of(tenantBinding.bind(caller.tenant().get(), caller.practitionerId().get()));
        }
        caller.tenant().ifPresent(tenantBinding::bind);
        caller.practitionerId().ifPresent(accessBinding::bindPractitioner);
        return Optional.empty();
    }

    /**
     * Binds and gathers the caller's facts at this instant. A care professional's grants, sessions and share codes
     * come from this instance's {@link AccessFactsCache} when {@code mayKeep} and the binding statement read the
     * number they were loaded at (and this transaction changed none of them), else from the database (then kept).
     * Their care relations likewise come from {@link CareRelationsCache} at the care-relation counter (V31) the same
     * statement read; otherwise (a write, or this transaction changed them) they are asked in this transaction.
     */
    private AccessFacts gather(Caller caller, boolean mayKeep) {
        Instant now = Instant.now();
        Optional<AccessFactVersions.Seen> seen = bind(caller);
        if (caller.hasRole("patient") || !policy.isCareProfessional(caller) || caller.tenant().isEmpty()) {
            return AccessFacts.none(now);
        }
        String practitioner = caller.practitionerId().orElse(null);
        String tenant = caller.tenant().get().value();
        CareRelations inCare = practitioner == null ? CareRelations.none()
                : seen.filter(s -> mayKeep && s.keepsCare())
                        .map(s -> careLists.relationsOf(practitioner, tenant, s.careVersion(), now))
                        .orElseGet(() -> new CareRelations(persons -> careTeams.inCareOf(practitioner, persons, now),
                                () -> careTeams.personsInCareOf(practitioner, now).stream().sorted().toList()));
        enterDirectory(caller);
        Supplier<AccessFactRows> load = () -> load(practitioner, tenant, now);
        AccessFactRows rows = seen.filter(s -> mayKeep && !s.writtenHere())
                .map(s -> kept.at(new AccessFactsCache.Key(practitioner, tenant), s.version(), load))
                .orElseGet(load);
        return rows.at(now, inCare);
    }

    private AccessFactRows load(String practitioner, String tenant, Instant now) {
        if (practitioner == null) {
            return AccessFactRows.of(grants.toGrantee(null, tenant), List.of(), List.of());
        }
        return AccessFactRows.of(grants.toGrantee(practitioner, tenant), breakGlass.unexpiredFor(practitioner),
                shareCodes.redeemedBy(practitioner, tenant, now));
    }

    /** A care professional enters the grantee directory once per app instance, from their token (by their name). */
    private void enterDirectory(Caller caller) {
        String practitioner = caller.practitionerId().orElse(null);
        if (practitioner != null && entered.add(practitioner + "|" + caller.tenant().orElseThrow().value())) {
            directory.enter(new health.meridian.domain.access.PractitionerDirectory.Entry(practitioner,
                    caller.tenant().get().value(), caller.displayName(), caller.hasRole("clinician") ? "clinician"
                    : "nurse"));
        }
    }

    /**
     * A staff member enters their name (their token's, by subject) into {@link health.meridian.domain.access.StaffNames}
     * once per app instance and name, in the use case's transaction (none: not now); patients never do. The audit
     * trail and the patient's access log then show who acted by name (issue #20).
     */
    public void enterName(Caller caller) {
        String role = caller.hasRole("patient") ? null
                : STAFF_ROLES.stream().filter(caller::hasRole).findFirst().orElse(null);
        String name = nameToEnter(caller);
        if (role == null || name == null || !active()) {
            return;
        }
        String tenant = caller.tenant().map(TenantId::value).orElse(null);
        String key = caller.subject() + "|" + name + "|" + role + "|" + tenant;
        if (named.add(key)) {
            transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status != Status.STATUS_COMMITTED) {
                        named.remove(key);
                    }
                }
            });
            staffNames.enter(new health.meridian.domain.access.StaffNames.Entry(caller.subject(), name, role, tenant));
        }
    }

    /**
     * The name a staff member's token gives, or null where it gives none: a token without a {@code name} claim (e.g.
     * one asked for without the profile scope) has the username as its display name, and entering that would replace
     * the person's name already known in every access log (issue #20).
     */
    static String nameToEnter(Caller caller) {
        String name = caller.displayName() == null ? "" : caller.displayName().strip();
        if (name.isEmpty() || name.equals(caller.username())) {
            return null;
        }
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    /**
     * Binds for reading the audit trail: the admin's institution, the patient's person, or (platform admins) the
     * platform-level entries.
     */
    public void bindForAudit(Caller caller) {
        policy.requireAuditReader(caller);
        if (caller.hasRole("patient")) {
            caller.personId().ifPresent(accessBinding::bindPerson);
            return;
        }
        if (policy.readsPlatformAudit(caller)) {
            accessBinding.bindPlatformAudit();
        }
        caller.tenant().filter(t -> caller.hasRole("tenant-admin")).ifPresent(tenantBinding::bind);
    }
}
