package health.meridian.web.security;

import health.meridian.domain.access.AccessGrantRepository;
import health.meridian.domain.access.BreakGlassRepository;
import health.meridian.domain.access.BreakGlassSession;
import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.infrastructure.persistence.TenantBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

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
    private final Set<String> entered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public AccessFacts bindForRead(Caller caller) {
        Instant now = Instant.now();
        if (caller.hasRole("patient")) {
            caller.personId().ifPresent(accessBinding::bindPerson);
            return AccessFacts.none(now);
        }
        caller.tenant().ifPresent(tenantBinding::bind);
        caller.practitionerId().ifPresent(accessBinding::bindPractitioner);
        if (!policy.isCareProfessional(caller) || caller.tenant().isEmpty()) {
            return AccessFacts.none(now);
        }
        String practitioner = caller.practitionerId().orElse(null);
        Set<String> inCare = careTeams.personsInCareOf(practitioner, now);
        Set<String> glass = practitioner == null ? Set.of() : breakGlass.activeFor(practitioner, now).stream()
                .map(BreakGlassSession::personId).collect(Collectors.toSet());
        String institution = caller.tenant().map(TenantId::value).orElse(null);
        enterDirectory(caller);
        Set<String> shared = practitioner == null ? Set.of()
                : Set.copyOf(shareCodes.personsSharedWith(practitioner, institution, now));
        return new AccessFacts(inCare, grants.toGrantee(practitioner, institution), glass, shared, now);
    }

    /** A care professional enters the grantee directory once per app instance, from their token. */
    private void enterDirectory(Caller caller) {
        String practitioner = caller.practitionerId().orElse(null);
        if (practitioner != null && entered.add(practitioner + "|" + caller.tenant().orElseThrow().value())) {
            directory.enter(new health.meridian.domain.access.PractitionerDirectory.Entry(practitioner,
                    caller.tenant().get().value(), caller.username(), caller.hasRole("clinician") ? "clinician"
                    : "nurse"));
        }
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
