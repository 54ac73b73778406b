package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #8, user administration against the real Keycloak of the test stack: a tenant admin creates a clinician who
 * then signs in (changing the temporary password on Keycloak's own pages) and whose token carries the institution
 * and the role; and the limits, each of which fails if its check is removed: another institution's admin sees and
 * changes nothing (404, as for an unknown user), no platform-admin or patient role and no other institution is
 * given, care professionals cannot use the API (403), a disabled user can no longer sign in.
 */
@ExtendWith(ArquillianExtension.class)
class UserAdminIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANNA_KEYCLOAK_ID = "20ddcb71-ea0f-5d88-9e38-fc9ab6ea48e9";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;
    private AccessFixtures fx;

    @BeforeEach
    void stack() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
    }

    @Test
    void aTenantAdminCreatesAClinicianWhoSignsInWithTheInstitutionAndRole() throws Exception {
        String username = newUsername();
        HttpResponse<String> created = create("admin.amstel", username, "clinician", "Temp-pass-123", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode user = JSON.readTree(created.body()).path("user");
        assertThat(JSON.readTree(created.body()).path("credential").asText()).isEqualTo("temporary-password");
        assertThat(user.path("institution").asText()).isEqualTo("nl-amstel");
        assertThat(user.path("role").asText()).isEqualTo("clinician");
        assertThat(user.path("enabled").asBoolean()).isTrue();
        assertThat(user.path("practitionerId").asText()).isEqualTo("prac-nl-amstel-" + username.replace('_', '-'));

        assertThat(passwordGrant(username, "Temp-pass-123").body()).as("a temporary password must be changed first")
                .contains("invalid_grant");
        signInFirstTime(username, "Temp-pass-123", "Own-pass-456");
        JsonNode claims = claims(passwordGrant(username, "Own-pass-456"));
        assertThat(claims.path("tenant").asText()).isEqualTo("nl-amstel");
        assertThat(claims.path("groups").toString()).contains("\"clinician\"").doesNotContain("tenant-admin");
        assertThat(claims.path("practitioner_id").asText()).isEqualTo(user.path("practitionerId").asText());

        String token = accessToken(passwordGrant(username, "Own-pass-456"));
        fx.ensureInDirectoryWith(token);
        String grantees = AccessFixtures.send("GET", fx.api("grantees?q=" + username), AccessFixtures.token(
                "patient.anna"), null).body();
        assertThat(grantees).as("the new clinician enters the practitioner directory on first use")
                .contains(user.path("practitionerId").asText());
        assertThat(auditRows(username)).contains("user-create:0:admin.amstel:nl-amstel");
    }

    @Test
    void anotherInstitutionsAdminNeitherSeesNorChangesTheUsers() throws Exception {
        String username = newUsername();
        String id = idOf(create("admin.amstel", username, "nurse", null, null));
        String spree = AccessFixtures.token("admin.spree");
        assertThat(list(spree, username)).doesNotContain(username);
        assertThat(list(AccessFixtures.token("admin.amstel"), username)).contains(username);

        String unknown = AccessFixtures.send("GET", fx.api("admin/users/" + UUID.randomUUID()), spree, null).body();
        assertError(AccessFixtures.send("GET", fx.api("admin/users/" + id), spree, null), 404, "EHR-0906");
        assertThat(AccessFixtures.send("GET", fx.api("admin/users/" + id), spree, null).body()
                .replace(id, "?")).as("answered exactly like an unknown user").isEqualTo(unknown.replaceAll(
                        "no user [0-9a-f-]+", "no user ?"));
        assertError(put(spree, id, "role", "{\"role\":\"clinician\"}"), 404, "EHR-0906");
        assertError(put(spree, id, "enabled", "{\"enabled\":false}"), 404, "EHR-0906");
        assertError(put(spree, id, "password", "{\"password\":\"Taken-over-1\"}"), 404, "EHR-0906");
        assertError(AccessFixtures.send("GET", fx.api("admin/users?institution=nl-amstel"), spree, null), 403,
                "EHR-0904");

        JsonNode still = JSON.readTree(AccessFixtures.send("GET", fx.api("admin/users/" + id),
                AccessFixtures.token("admin.amstel"), null).body());
        assertThat(still.path("role").asText()).isEqualTo("nurse");
        assertThat(still.path("enabled").asBoolean()).isTrue();
        assertThat(auditRows(id)).contains("user-role:4:admin.spree:-", "user-disable:4:admin.spree:-");
        String platform = AccessFixtures.token("platform.admin");
        assertThat(list(platform, username + "&institution=nl-amstel")).contains(username);
        assertError(AccessFixtures.send("GET", fx.api("admin/users?q=x"), platform, null), 400, "EHR-0905");
    }

    @Test
    void aTenantAdminGivesNeitherPlatformAdminNorPatientNorAnotherInstitution() throws Exception {
        assertError(create("admin.amstel", newUsername(), "platform-admin", null, null), 403, "EHR-0902");
        assertError(create("admin.amstel", newUsername(), "patient", null, null), 403, "EHR-0902");
        assertError(create("admin.amstel", newUsername(), "clinician", null, "de-spree"), 403, "EHR-0904");
        assertError(create("admin.amstel", newUsername(), "wizard", null, null), 400, "EHR-0903");
        String username = newUsername();
        String id = idOf(create("admin.amstel", username, "researcher", null, null));
        assertError(AccessFixtures.send("POST", fx.api("admin/users"), AccessFixtures.token("admin.amstel"),
                form(username, "nurse", null, null).replace(username + "@", "other-" + username + "@")), 409,
                "EHR-0907");
        assertError(AccessFixtures.send("POST", fx.api("admin/users"), AccessFixtures.token("admin.amstel"),
                form(newUsername(), "nurse", null, null).replaceFirst("\"email\":\"[^\"]+\"",
                        "\"email\":\"" + username + "@amstel.example.nl\"")), 409, "EHR-0907");
        String admin = AccessFixtures.token("admin.amstel");
        assertError(put(admin, id, "role", "{\"role\":\"platform-admin\"}"), 403, "EHR-0902");
        assertError(AccessFixtures.send("GET", fx.api("admin/users/" + ANNA_KEYCLOAK_ID), admin, null), 404,
                "EHR-0906");
        assertThat(list(admin, "anna")).as("patients' accounts are not staff accounts").doesNotContain("patient.anna");
        assertThat(list(admin, "")).doesNotContain("admin.spree", "dr.mueller").contains("dr.jansen");
    }

    /**
     * Issue #18: usernames and e-mail addresses are unique across the realm, so a clash may be with another
     * institution's staff or a patient. The answer is one and the same refusal whichever field clashed and whoever
     * holds the account, so that user administration does not enumerate accounts.
     */
    @Test
    void aUsernameOrEmailInUseIsRefusedAlikeWhoeverHoldsIt() throws Exception {
        String own = newUsername();
        idOf(create("admin.amstel", own, "nurse", null, null));
        String admin = AccessFixtures.token("admin.amstel");
        HttpResponse<String> ownName = AccessFixtures.send("POST", fx.api("admin/users"), admin,
                form(own, "nurse", null, null).replace(own + "@", "other-" + own + "@"));
        assertError(ownName, 409, "EHR-0907");
        java.util.Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        answers.put("own institution's e-mail", AccessFixtures.send("POST", fx.api("admin/users"), admin,
                withEmail(newUsername(), own + "@amstel.example.nl")));
        answers.put("patient's username", AccessFixtures.send("POST", fx.api("admin/users"), admin,
                form("patient.anna", "nurse", null, null)));
        answers.put("patient's e-mail", AccessFixtures.send("POST", fx.api("admin/users"), admin,
                withEmail(newUsername(), "patient.bram@mail.example.nl")));
        answers.put("other institution's username", AccessFixtures.send("POST", fx.api("admin/users"), admin,
                form("dr.mueller", "nurse", null, null)));
        answers.put("other institution's e-mail", AccessFixtures.send("POST", fx.api("admin/users"), admin,
                withEmail(newUsername(), "admin.spree@spree.example.de")));
        answers.forEach((what, r) -> {
            assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(ownName.statusCode());
            assertThat(r.body()).as(what).isEqualTo(ownName.body());
        });
        assertThat(ownName.body()).doesNotContainIgnoringCase("taken").doesNotContain("another account");
    }

    private static String withEmail(String username, String email) {
        return form(username, "nurse", null, null).replaceFirst("\"email\":\"[^\"]+\"", "\"email\":\"" + email
                + "\"");
    }

    @Test
    void careProfessionalsCannotUseTheUserApi() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        assertError(AccessFixtures.send("GET", fx.api("admin/users"), jansen, null), 403, "EHR-0901");
        assertError(AccessFixtures.send("POST", fx.api("admin/users"), jansen, form(newUsername(), "clinician", null,
                null)), 403, "EHR-0901");
        assertError(put(AccessFixtures.token("nurse.visser"), "83d27ae7-0444-5045-b7cd-8d463a3c20cd", "enabled",
                "{\"enabled\":false}"), 403, "EHR-0901");
        assertThat(passwordGrant("nurse.visser", "meridian").statusCode()).isEqualTo(200);
    }

    @Test
    void aDisabledUserCanNoLongerSignInAndARoleChangeReachesTheToken() throws Exception {
        String username = newUsername();
        String id = idOf(create("admin.amstel", username, "clinician", "Temp-pass-123", null));
        signInFirstTime(username, "Temp-pass-123", "Own-pass-456");
        String admin = AccessFixtures.token("admin.amstel");

        assertThat(put(admin, id, "enabled", "{\"enabled\":false}").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = passwordGrant(username, "Own-pass-456");
        assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
        assertThat(refused.body()).contains("invalid_grant");

        JsonNode enabled = JSON.readTree(put(admin, id, "enabled", "{\"enabled\":true}").body());
        assertThat(enabled.path("enabled").asBoolean()).isTrue();
        assertThat(enabled.path("institution").asText()).as("re-enabling keeps the institution").isEqualTo("nl-amstel");
        assertThat(JSON.readTree(put(admin, id, "role", "{\"role\":\"nurse\"}").body()).path("role").asText())
                .isEqualTo("nurse");
        JsonNode claims = claims(passwordGrant(username, "Own-pass-456"));
        assertThat(claims.path("groups").toString()).contains("\"nurse\"").doesNotContain("\"clinician\"");
        assertThat(claims.path("tenant").asText()).isEqualTo("nl-amstel");
        assertThat(auditRows(id)).contains("user-disable:0:admin.amstel:nl-amstel",
                "user-enable:0:admin.amstel:nl-amstel", "user-role:0:admin.amstel:nl-amstel");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    @Test
    void aLongListIsPagedWithoutLosingOrRepeatingAnAccount() throws Exception {
        String batch = "pg" + UUID.randomUUID().toString().substring(0, 6);
        java.util.Set<String> made = new java.util.TreeSet<>();
        for (int i = 0; i < 53; i++) {
            String username = "it-" + batch + "-" + i;
            assertThat(create("admin.amstel", username, "nurse", null, null).statusCode()).isEqualTo(201);
            made.add(username);
        }
        String admin = AccessFixtures.token("admin.amstel");
        JsonNode first = JSON.readTree(list(admin, batch));
        assertThat(first.path("users")).hasSize(50);
        assertThat(first.path("next").isInt()).as(first.toString()).isTrue();
        JsonNode second = JSON.readTree(list(admin, batch + "&first=" + first.path("next").asInt()));
        assertThat(second.hasNonNull("next")).as(second.toString()).isFalse();
        List<String> seen = new java.util.ArrayList<>();
        first.path("users").forEach(u -> seen.add(u.path("username").asText()));
        second.path("users").forEach(u -> seen.add(u.path("username").asText()));
        assertThat(seen).as("every account once, over two pages").hasSize(53).containsExactlyInAnyOrderElementsOf(made);
        assertThat(JSON.readTree(list(AccessFixtures.token("admin.spree"), batch)).path("users"))
                .as("the other institution's admin finds none of them").isEmpty();
        assertError(AccessFixtures.send("GET", fx.api("admin/users?first=-1"), admin, null), 400, "EHR-0916");
    }

    private static String newUsername() {
        return "it-user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<String> create(String admin, String username, String role, String password,
                                        String institution) throws Exception {
        return AccessFixtures.send("POST", fx.api("admin/users"), AccessFixtures.token(admin),
                form(username, role, password, institution));
    }

    private static String form(String username, String role, String password, String institution) {
        return "{\"username\":\"" + username + "\",\"firstName\":\"Iris\",\"lastName\":\"Test\",\"email\":\""
                + username + "@amstel.example.nl\",\"role\":\"" + role + "\""
                + (password == null ? "" : ",\"password\":\"" + password + "\"")
                + (institution == null ? "" : ",\"institution\":\"" + institution + "\"") + "}";
    }

    private HttpResponse<String> put(String token, String id, String what, String body) throws Exception {
        return AccessFixtures.send("PUT", fx.api("admin/users/" + id + "/" + what), token, body);
    }

    private String list(String token, String q) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", fx.api("admin/users?q=" + q), token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static String idOf(HttpResponse<String> created) throws Exception {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("user").path("id").asText();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"code\":\"" + code + "\"");
    }

    /** Audit rows about a user (username or Keycloak id) as "interaction:outcome:actor:custodian", oldest first. */
    private static List<String> auditRows(String user) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement("SELECT interaction,"
                + " outcome, username, coalesce(custodian_id, '-') FROM audit_event WHERE resource_id = ?"
                + " AND interaction LIKE 'user-%' ORDER BY seq")) {
            s.setString(1, user);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3) + ":" + rs.getString(4));
                }
            }
        }
        return rows;
    }

    private static HttpResponse<String> passwordGrant(String username, String password) throws Exception {
        String form = "grant_type=password&client_id=meridian-cli&username=" + AccessFixtures.enc(username)
                + "&password=" + AccessFixtures.enc(password);
        return health.meridian.web.it.TestStack.passwordGrant(form);
    }

    private static String accessToken(HttpResponse<String> grant) throws Exception {
        assertThat(grant.statusCode()).as(grant.body()).isEqualTo(200);
        return JSON.readTree(grant.body()).path("access_token").asText();
    }

    private static JsonNode claims(HttpResponse<String> grant) throws Exception {
        String payload = accessToken(grant).split("\\.")[1];
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]*login-actions[^\"]*)\"");

    /**
     * The user's first sign-in on Keycloak's own pages (authorization code flow of the browser client, as the app
     * does it): username and temporary password, then Keycloak's "update password" form; done once Keycloak
     * redirects back with a code.
     */
    private static void signInFirstTime(String username, String temporary, String chosen) throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();
        String redirect = "http://127.0.0.1/users-it";
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest("users-it-verifier-0123456789-0123456789-01234".getBytes(
                        StandardCharsets.US_ASCII)));
        HttpResponse<String> page = send(browser, cookies, HttpRequest.newBuilder(URI.create(issuer()
                + "/protocol/openid-connect/auth?client_id=meridian-web&response_type=code&scope=openid&redirect_uri="
                + AccessFixtures.enc(redirect) + "&code_challenge=" + challenge + "&code_challenge_method=S256"))
                .GET());
        page = submit(browser, cookies, page, "username=" + AccessFixtures.enc(username) + "&password="
                + AccessFixtures.enc(temporary) + "&credentialId=");
        assertThat(page.body()).as("Keycloak asks for a new password").contains("password-new");
        page = submit(browser, cookies, page, "password-new=" + AccessFixtures.enc(chosen) + "&password-confirm="
                + AccessFixtures.enc(chosen));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).startsWith(redirect).contains("code=");
    }

    /**
     * One request with the cookies Keycloak set so far (kept by hand: Java's CookieManager does not send cookies
     * back to a host given as an IP address such as 127.0.0.1).
     */
    private static HttpResponse<String> send(HttpClient browser, java.util.Map<String, String> cookies,
                                             HttpRequest.Builder request) throws Exception {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        HttpResponse<String> r = browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return r;
    }

    private static HttpResponse<String> submit(HttpClient browser, java.util.Map<String, String> cookies,
                                               HttpResponse<String> page, String form) throws Exception {
        Matcher m = FORM_ACTION.matcher(page.body());
        assertThat(m.find()).as("a form on " + page.uri() + ": " + page.body()).isTrue();
        String action = m.group(1).replace("&amp;", "&");
        HttpResponse<String> r = send(browser, cookies, HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        for (int hops = 0; hops < 5 && r.statusCode() / 100 == 3; hops++) {
            String next = r.headers().firstValue("Location").orElse("");
            if (!next.startsWith(issuer().substring(0, issuer().indexOf("/realms/")))) {
                break;
            }
            r = send(browser, cookies, HttpRequest.newBuilder(URI.create(next)).GET());
        }
        return r;
    }

    private static String issuer() {
        return System.getProperty("meridian.test.oidc.issuer");
    }
}
