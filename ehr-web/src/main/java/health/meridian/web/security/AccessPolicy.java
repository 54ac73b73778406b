package health.meridian.web.security;

import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * The policy decision point: the one place that says whose records a caller may read or write. Deny by default.
 *
 * <p>Rules implemented so far (Foundation): clinicians and nurses read and write the records held by their own
 * institution; tenant admins register patients of their institution but read no clinical content; every other
 * role is denied. Cross-institution grants, care teams, sensitivity and break-the-glass extend this class (issue #5).
 */
@ApplicationScoped
public class AccessPolicy {

    private static final Set<String> CARE_ROLES = Set.of("clinician", "nurse");

    /** Institutions whose records the caller may read (empty = none). */
    public List<TenantId> readableTenants(Caller caller) {
        if (CARE_ROLES.stream().anyMatch(caller::hasRole) && caller.tenant().isPresent()) {
            return List.of(caller.tenant().get());
        }
        return List.of();
    }

    /** The institution a write by this caller is recorded under; refuses callers who may not write. */
    public TenantId writeTenant(Caller caller, String resourceType) {
        boolean care = CARE_ROLES.stream().anyMatch(caller::hasRole);
        boolean registersPatient = caller.hasRole("tenant-admin") && "Patient".equals(resourceType);
        if (!care && !registersPatient) {
            throw new AccessDeniedException("EHR-0302 role may not write " + resourceType);
        }
        return caller.requireTenant();
    }
}
