package health.meridian.domain.access;

import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Set;

/**
 * A practitioner's membership of a care team: their institution (care teams may span institutions), their role
 * in the team and the period it holds. Only clinicians and nurses are members.
 */
public record CareTeamMembership(String practitionerId, TenantId memberInstitution, String role, Instant start,
                                 Instant end) {

    private static final Set<String> ROLES = Set.of("clinician", "nurse");

    public CareTeamMembership {
        if (practitionerId == null || !practitionerId.matches("^[A-Za-z0-9\\-.]{1,64}$")) {
            throw new IllegalArgumentException("EHR-0620 invalid practitioner id: " + practitionerId);
        }
        if (memberInstitution == null) {
            throw new IllegalArgumentException("EHR-0621 a member belongs to an institution");
        }
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("EHR-0622 member role must be clinician or nurse: " + role);
        }
        if (start == null || end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("EHR-0623 membership must end after it starts");
        }
    }
}
