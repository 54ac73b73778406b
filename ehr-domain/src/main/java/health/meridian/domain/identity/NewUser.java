package health.meridian.domain.identity;

import health.meridian.domain.tenant.TenantId;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A user account to create, validated at construction: username (3–64 of {@code a-z 0-9 . _ -}, lower case, as
 * Keycloak stores it), first and last name, e-mail, one staff role and the institution it belongs to.
 */
public record NewUser(String username, String firstName, String lastName, String email, String role,
                      TenantId institution) {

    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{2,63}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

    public NewUser {
        username = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("EHR-0908 a username is 3 to 64 characters: letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit");
        }
        firstName = firstName == null ? "" : firstName.trim();
        lastName = lastName == null ? "" : lastName.trim();
        if (firstName.isEmpty() || lastName.isEmpty() || firstName.length() > 100 || lastName.length() > 100) {
            throw new IllegalArgumentException("EHR-0910 first and last name are required (at most 100 characters)");
        }
        email = email == null ? "" : email.trim();
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("EHR-0909 not an e-mail address: " + email);
        }
        if (!StaffRole.isStaffRole(role)) {
            throw new IllegalArgumentException("EHR-0903 not a staff role: " + role);
        }
        if (institution == null) {
            throw new IllegalArgumentException("EHR-0905 a user belongs to an institution");
        }
    }

    /**
     * The practitioner id a new clinician or nurse gets: {@code prac-<institution>-<username>} with every character
     * the directory does not allow replaced by '-', at most 64 characters.
     */
    public String practitionerId() {
        return practitionerIdFor(institution, username);
    }

    public static String practitionerIdFor(TenantId institution, String username) {
        String id = ("prac-" + institution.value() + "-" + username).replaceAll("[^A-Za-z0-9.-]", "-");
        return id.length() > 64 ? id.substring(0, 64) : id;
    }
}
