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
        return new AccessFacts(inCare, grants.toGrantee(practitioner, institution), glass, now);
    }

    /** Binds for reading the audit trail: the admin's institution, or the patient's person. */
    public void bindForAudit(Caller caller) {
        policy.requireAuditReader(caller);
        if (caller.hasRole("patient")) {
            caller.personId().ifPresent(accessBinding::bindPerson);
        } else {
            tenantBinding.bind(caller.requireTenant());
        }
    }
}
