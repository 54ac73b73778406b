package health.meridian.domain.identity;

import java.util.Set;

/**
 * The realm roles an institution's administrators give to its staff. {@code patient} and {@code platform-admin} are
 * deliberately not among them: patients are enrolled with their person link, platform administrators belong to no
 * institution.
 */
public final class StaffRole {

    public static final Set<String> ALL = Set.of("clinician", "nurse", "researcher", "tenant-admin");
    /** Every role Meridian knows; a role outside this set is not a role at all (bad input, not a refusal). */
    public static final Set<String> MERIDIAN_ROLES = Set.of("clinician", "nurse", "researcher", "tenant-admin",
            "platform-admin", "patient");

    private StaffRole() {
    }

    public static boolean isStaffRole(String role) {
        return ALL.contains(role);
    }

    /** Care professionals carry a practitioner id (the grantee directory and care teams name them by it). */
    public static boolean isCareRole(String role) {
        return "clinician".equals(role) || "nurse".equals(role);
    }
}
