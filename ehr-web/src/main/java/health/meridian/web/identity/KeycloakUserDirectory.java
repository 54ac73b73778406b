package health.meridian.web.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.domain.identity.NewUser;
import health.meridian.domain.identity.StaffRole;
import health.meridian.domain.identity.UserAccount;
import health.meridian.domain.identity.UserDirectory;
import health.meridian.domain.identity.UserPage;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link UserDirectory} on Keycloak's admin REST API, as the service account of the confidential client
 * {@code meridian-user-admin}, whose only role is realm-management {@code manage-users} (which also lets it view
 * and query users and map realm roles that are not admin roles). The institution is the user attribute
 * {@code tenant}, the role a realm role mapping, the practitioner id the attribute {@code practitioner_id}.
 */
@ApplicationScoped
public class KeycloakUserDirectory implements UserDirectory {

    /** The one answer to a username or e-mail address that is in use anywhere (see {@link #refuseConflicts}). */
    static final String CONFLICT = "EHR-0907 this username or e-mail address cannot be used: choose another";

    /** Accounts asked of Keycloak per call while filling a page. */
    static final int CHUNK = 100;
    /** At most this many accounts are looked at for one page; the page then ends early, with a {@code next}. */
    static final int MAX_SCANNED = 2_000;

    @Inject
    UserAdminAccount account;

    @Override
    public boolean configured() {
        return account.configured();
    }

    /**
     * Without text: Keycloak's attribute query {@code q=tenant:<id>} paged by {@code first}/{@code max}. With text:
     * Keycloak's {@code search} (each word an infix match on username, first/last name or e-mail; Keycloak ignores
     * {@code q} when {@code search} is given), kept to the institution here. Either way each account's
     * {@code tenant} attribute is checked again, and {@code next} is Keycloak's offset of the first account not
     * yet shown.
     */
    @Override
    public UserPage inInstitution(TenantId institution, String text, int first, int max) {
        List<String> words = words(text);
        String query = words.isEmpty()
                ? "/users?q=" + KeycloakAdminClient.enc("tenant:" + institution.value()) + "&exact=true"
                : "/users?search=" + KeycloakAdminClient.enc(String.join(" ", words.stream()
                        .map(w -> "*" + w + "*").toList()));
        List<UserAccount> out = new ArrayList<>();
        int offset = Math.max(first, 0);
        int scanned = 0;
        while (true) {
            JsonNode users = ok(admin().call("GET", query + "&briefRepresentation=false&first=" + offset + "&max="
                    + CHUNK, null), "list users").json();
            int position = offset;
            for (JsonNode u : users) {
                boolean inInstitution = institution.value().equals(attribute(u, "tenant").orElse(null));
                if (inInstitution && matches(u, words)) {
                    if (out.size() == max) {
                        return new UserPage(out, position);
                    }
                    out.add(account(u, realmRoles(u.path("id").asText())));
                }
                position++;
            }
            scanned += users.size();
            offset += users.size();
            if (users.size() < CHUNK) {
                return new UserPage(out, null);
            }
            if (scanned >= MAX_SCANNED) {
                return new UserPage(out, offset);
            }
        }
    }

    /** The words of a search text, lower case, without Keycloak's wildcard and exact-match characters. */
    static List<String> words(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).replaceAll("[*\"]", " ").trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public Optional<UserAccount> find(String id) {
        if (id == null || !id.matches("^[A-Za-z0-9-]{1,64}$")) {
            return Optional.empty();
        }
        KeycloakAdminClient.Answer a = admin().call("GET", "/users/" + id, null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(account(ok(a, "read user").json(), realmRoles(id)));
    }

    @Override
    public UserAccount create(NewUser user, Optional<String> temporaryPassword) {
        Map<String, List<String>> attributes = new java.util.LinkedHashMap<>();
        attributes.put("tenant", List.of(user.institution().value()));
        if (StaffRole.isCareRole(user.role())) {
            attributes.put("practitioner_id", List.of(freePractitionerId(user.practitionerId())));
        }
        KeycloakAdminClient.Answer a = admin().call("POST", "/users", Map.of("username", user.username(),
                "firstName", user.firstName(), "lastName", user.lastName(), "email", user.email(),
                "enabled", true, "emailVerified", false, "attributes", attributes));
        refuseConflicts(a);
        ok(a, "create user");
        String id = a.location().substring(a.location().lastIndexOf('/') + 1);
        try {
            mapRole(id, user.role(), true);
            temporaryPassword.ifPresent(p -> setTemporaryPassword(id, p));
        } catch (RuntimeException e) {
            admin().call("DELETE", "/users/" + id, null);
            throw e;
        }
        return find(id).orElseThrow(() -> new UserDirectoryUnavailableException("EHR-0914 created user vanished"));
    }

    @Override
    public void changeRole(String id, String role, Optional<String> practitionerId) {
        if (practitionerId.isPresent()) {
            JsonNode rep = ok(admin().call("GET", "/users/" + id, null), "read user").json();
            if (attribute(rep, "practitioner_id").isEmpty()) {
                ObjectNode attrs = rep.path("attributes").isObject() ? (ObjectNode) rep.path("attributes")
                        : ((ObjectNode) rep).putObject("attributes");
                attrs.putArray("practitioner_id").add(freePractitionerId(practitionerId.get()));
                ok(admin().call("PUT", "/users/" + id, rep), "update user");
            }
        }
        List<JsonNode> current = new ArrayList<>();
        for (JsonNode r : ok(admin().call("GET", "/users/" + id + "/role-mappings/realm", null), "roles").json()) {
            if (StaffRole.isStaffRole(r.path("name").asText()) && !role.equals(r.path("name").asText())) {
                current.add(r);
            }
        }
        mapRole(id, role, false);
        if (!current.isEmpty()) {
            ok(admin().call("DELETE", "/users/" + id + "/role-mappings/realm", current), "remove roles");
        }
    }

    @Override
    public void setEnabled(String id, boolean enabled) {
        JsonNode rep = ok(admin().call("GET", "/users/" + id, null), "read user").json();
        ((ObjectNode) rep).put("enabled", enabled);
        ok(admin().call("PUT", "/users/" + id, rep), "update user");
    }

    @Override
    public void setTemporaryPassword(String id, String password) {
        KeycloakAdminClient.Answer a = admin().call("PUT", "/users/" + id + "/reset-password",
                Map.of("type", "password", "value", password, "temporary", true));
        if (a.status() == 400) {
            throw new IllegalArgumentException("EHR-0911 the password does not meet the password policy: "
                    + a.json().path("error_description").asText(a.json().path("errorMessage").asText("")));
        }
        ok(a, "set password");
    }

    /** Maps {@code role} (a realm role the service account may map) to the user, if not mapped yet. */
    private void mapRole(String id, String role, boolean fresh) {
        for (JsonNode r : ok(admin().call("GET", "/users/" + id + "/role-mappings/realm/available", null),
                "available roles").json()) {
            if (role.equals(r.path("name").asText())) {
                ok(admin().call("POST", "/users/" + id + "/role-mappings/realm",
                        List.of(Map.of("id", r.path("id").asText(), "name", role))), "map role");
                return;
            }
        }
        if (fresh) {
            throw new UserDirectoryUnavailableException("EHR-0914 Keycloak offers no realm role " + role);
        }
    }

    /** The practitioner id, or (taken by another account) the id with a short random suffix. */
    private String freePractitionerId(String wanted) {
        JsonNode taken = ok(admin().call("GET", "/users?q=" + KeycloakAdminClient.enc("practitioner_id:" + wanted)
                + "&exact=true&briefRepresentation=false&max=1", null), "search practitioner id").json();
        if (taken.isEmpty()) {
            return wanted;
        }
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 6);
        return (wanted.length() + suffix.length() > 64 ? wanted.substring(0, 64 - suffix.length()) : wanted) + suffix;
    }

    private Set<String> realmRoles(String id) {
        Set<String> roles = new HashSet<>();
        for (JsonNode r : ok(admin().call("GET", "/users/" + id + "/role-mappings/realm", null), "roles").json()) {
            if (StaffRole.MERIDIAN_ROLES.contains(r.path("name").asText())) {
                roles.add(r.path("name").asText());
            }
        }
        return roles;
    }

    /**
     * Usernames and e-mail addresses are unique across the realm: every institution's staff and every patient. A
     * conflict is answered with one generic refusal, whichever field clashed and whoever holds the account, so that
     * user administration cannot be used to probe for accounts of other institutions or of patients.
     */
    private static void refuseConflicts(KeycloakAdminClient.Answer a) {
        if (a.status() == 409) {
            throw new IllegalStateException(CONFLICT);
        }
        if (a.status() == 400) {
            JsonNode e = a.json();
            String field = e.path("field").asText(e.path("errors").path(0).path("field").asText(""));
            String message = e.path("errorMessage").asText(e.path("errors").path(0).path("errorMessage").asText(""));
            throw new IllegalArgumentException(switch (field) {
                case "email" -> "EHR-0909 the e-mail address was refused: " + message;
                case "firstName", "lastName" -> "EHR-0910 the name was refused: " + message;
                default -> "EHR-0908 the username was refused: " + message;
            });
        }
    }

    private static KeycloakAdminClient.Answer ok(KeycloakAdminClient.Answer a, String what) {
        if (a.status() / 100 != 2) {
            throw new UserDirectoryUnavailableException("EHR-0914 Keycloak " + what + " answered " + a.status() + " "
                    + (a.body() == null ? "" : a.body().substring(0, Math.min(200, a.body().length()))));
        }
        return a;
    }

    /** Every word is contained in the username, first name, last name or e-mail. */
    static boolean matches(JsonNode u, List<String> words) {
        for (String w : words) {
            boolean found = false;
            for (String f : List.of("username", "firstName", "lastName", "email")) {
                if (u.path(f).asText("").toLowerCase(Locale.ROOT).contains(w)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    static UserAccount account(JsonNode u, Set<String> roles) {
        return new UserAccount(u.path("id").asText(), u.path("username").asText(), u.path("firstName").asText(""),
                u.path("lastName").asText(""), u.path("email").asText(""), attribute(u, "tenant"), roles,
                u.path("enabled").asBoolean(false), attribute(u, "practitioner_id"));
    }

    private static Optional<String> attribute(JsonNode u, String name) {
        JsonNode v = u.path("attributes").path(name);
        String value = v.isArray() ? v.path(0).asText(null) : v.isTextual() ? v.asText() : null;
        return Optional.ofNullable(value).filter(s -> !s.isBlank());
    }

    private KeycloakAdminClient admin() {
        return account.admin("user administration");
    }
}
