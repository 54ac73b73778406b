package health.meridian.domain.identity;

import health.meridian.domain.tenant.TenantId;
import java.util.Optional;

/**
 * The identity provider's user accounts (a port: Keycloak's admin API sits behind it). It does what it is told;
 * who may ask for what is decided before it is called.
 */
public interface UserDirectory {

    /** Are credentials for the identity provider's admin API configured? */
    boolean configured();

    /**
     * Up to {@code max} accounts of one institution in which every word of {@code text} (blank: all accounts) is
     * contained in the username, first name, last name or e-mail, starting at position {@code first} (0, or the
     * {@code next} of the previous page).
     */
    UserPage inInstitution(TenantId institution, String text, int first, int max);

    Optional<UserAccount> find(String id);

    /**
     * Creates the account, enabled, with its role and (care roles) practitioner id; with a password, as a temporary
     * one the user must change at first sign-in. Returns the new account. Username or e-mail in use: EHR-0907.
     */
    UserAccount create(NewUser user, Optional<String> temporaryPassword);

    /** Replaces the account's staff role by {@code role}. */
    void changeRole(String id, String role, Optional<String> practitionerId);

    void setEnabled(String id, boolean enabled);

    void setTemporaryPassword(String id, String password);
}
