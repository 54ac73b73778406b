package health.meridian.domain.identity;

import java.util.Optional;
import java.util.Set;

/**
 * A user account of the identity provider as Meridian sees it: who (username, names, e-mail), the institution it
 * belongs to (the {@code tenant} claim), its Meridian realm roles, whether it may sign in, and its practitioner id
 * (the {@code practitioner_id} claim of clinicians and nurses).
 */
public record UserAccount(String id, String username, String firstName, String lastName, String email,
                          Optional<String> institution, Set<String> roles, boolean enabled,
                          Optional<String> practitionerId) {

    public UserAccount {
        roles = Set.copyOf(roles);
    }

    /** The one Meridian role the account holds, if exactly one staff role (what the user administration shows). */
    public Optional<String> staffRole() {
        return roles.stream().filter(StaffRole::isStaffRole).sorted().findFirst();
    }
}
