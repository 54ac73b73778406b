package health.meridian.web.it.access;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the access-control integration tests share: tokens, HTTP calls, a patient (linked to a person of the
 * test's choosing) with observations, care-team membership (set up as the schema owner: there is no care-team
 * API yet), and a look at the audit rows the application wrote.
 */
final class AccessFixtures {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String PSY = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9\\-.]+)\"");

    private final String base;

    AccessFixtures(String base) {
        this.base = base.replaceAll("/$", "");
    }

    String fhir(String path) {
        return base + "/fhir/" + path;
    }

    String api(String path) {
        return base + "/api/" + path;
    }

    static String token(String username) throws IOException, InterruptedException {
        return tokenField(username, "access_token", "");
    }

    /** A field of the token response of the CLI client's password grant (e.g. id_token with scope openid). */
    static String tokenField(String username, String field, String extra) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=meridian-cli&username=" + enc(username)
                + "&password=meridian" + extra;
        String body = health.meridian.web.it.TestStack.passwordGrant(form).body();
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " for " + username + ": " + body);
        }
        return m.group(1);
    }

    /**
     * An access token of the realm's SMART test app (meridian-cli-smart: password grant, the SMART scopes as optional
     * client scopes) asking for {@code scope} (space-separated); Keycloak puts the granted ones in the scope claim.
     */
    static String smartToken(String username, String scope) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=meridian-cli-smart&username=" + enc(username)
                + "&password=meridian&scope=" + enc(scope);
        String body = health.meridian.web.it.TestStack.passwordGrant(form).body();
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no access_token for " + username + " with " + scope + ": " + body);
        }
        return m.group(1);
    }

    /** Grants go only to care professionals Meridian knows: a user enters the directory by using Meridian once. */
    void ensureInDirectory(String username) throws Exception {
        ensureInDirectoryWith(token(username));
    }

    /** The same for a user whose password is not the demo users' (e.g. one created by a test). */
    void ensureInDirectoryWith(String accessToken) throws Exception {
        send("GET", fhir("Observation/directory-entry"), accessToken, null);
    }

    /** Revokes every grant the patient behind {@code patientToken} made (tests share the demo patients). */
    void revokeAllGrants(String patientToken) throws Exception {
        String list = send("GET", api("grants"), patientToken, null).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(list);
        while (m.find()) {
            send("DELETE", api("grants/" + m.group(1)), patientToken, null);
        }
    }

    static HttpResponse<String> send(String method, String url, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", url.contains("/fhir/") ? "application/fhir+json" : "application/json")
                .header("Content-Type", url.contains("/fhir/") ? "application/fhir+json" : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String idOf(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    static String newPerson() {
        return "it-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A Patient at the author's institution, linked to {@code person} by the urn:meridian:person identifier. */
    String patient(String token, String person) throws Exception {
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\",\"value\":\""
                + person + "\"}],\"name\":[{\"family\":\"Access\",\"given\":[\"Test\"]}]}";
        return created(send("POST", fhir("Patient"), token, body));
    }

    /**
     * A Patient at the author's institution for a person known elsewhere (ADR 0018): the person (their token) grants
     * the institution access, it registers them, and the grant is revoked again — the link stays.
     */
    String patientWithConsent(String token, String institution, String person, String personToken) throws Exception {
        String grant = health.meridian.web.it.TestStack.grant(base, personToken, institution);
        try {
            return patient(token, person);
        } finally {
            health.meridian.web.it.TestStack.revokeGrant(base, personToken, grant);
        }
    }

    /**
     * A grant row from {@code person} to {@code institution}, as the portal records it (for persons without a
     * patient account); returns its id.
     */
    static String consent(String person, String institution) throws SQLException {
        String id = "it-consent-" + UUID.randomUUID().toString().substring(0, 12);
        try (Connection c = owner()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.person_id', ?, false)")) {
                bind.setString(1, person);
                bind.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO access_grant (id, person_id, grantee_tenant,"
                    + " scope, purpose, starts_at) VALUES (?, ?, ?, 'exclude-sensitive', 'TREAT', clock_timestamp())")) {
                s.setString(1, id);
                s.setString(2, person);
                s.setString(3, institution);
                s.executeUpdate();
            }
        }
        return id;
    }

    static void revokeConsent(String id, String person) throws SQLException {
        try (Connection c = owner()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.person_id', ?, false)")) {
                bind.setString(1, person);
                bind.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE access_grant SET revoked_at = clock_timestamp()"
                    + " WHERE id = ?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
        }
    }

    /** An Observation about the patient, with optional v3-ActCode security labels (e.g. PSY). */
    String observation(String token, String patientId, String... labels) throws Exception {
        StringBuilder security = new StringBuilder();
        for (String label : labels) {
            security.append(security.length() == 0 ? "" : ",").append("{\"system\":\"").append(PSY)
                    .append("\",\"code\":\"").append(label).append("\"}");
        }
        String body = "{\"resourceType\":\"Observation\",\"meta\":{\"security\":[" + security + "]},"
                + "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patientId + "\"}}";
        return created(send("POST", fhir("Observation"), token, body));
    }

    /** An Encounter of {@code patientId} (finished, ambulatory). */
    String encounter(String token, String patientId) throws Exception {
        return created(send("POST", fhir("Encounter"), token, "{\"resourceType\":\"Encounter\",\"status\":"
                + "\"finished\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
                + "\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
                + "\"period\":{\"start\":\"2026-11-02T09:00:00+01:00\"}}"));
    }

    private static String created(HttpResponse<String> response) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create answered " + response.statusCode() + ": " + response.body());
        }
        return idOf(response.body());
    }

    /** Registers the demo institutions (idempotent PUT as the platform admin). */
    void ensureTenants() throws Exception {
        health.meridian.web.it.TestStack.ensureTenants(base);
    }

    static Connection owner() throws SQLException {
        return DriverManager.getConnection(System.getProperty("meridian.test.db.url"), "meridian_owner",
                "meridian_owner");
    }

    static Connection app() throws SQLException {
        return DriverManager.getConnection(System.getProperty("meridian.test.db.url"), "meridian_app",
                "meridian_app");
    }

    /**
     * Through the care-team API, as the institution's tenant admin: a new team of {@code tenant} with
     * {@code practitioner} as an active member caring for the patient {@code patientId} held there.
     */
    void careTeam(String tenant, String practitioner, String role, String patientId) throws Exception {
        String admin = token("nl-amstel".equals(tenant) ? "admin.amstel" : "admin.spree");
        String team = "team-" + UUID.randomUUID().toString().substring(0, 8);
        expect(201, send("PUT", api("care-teams/" + team), admin, "{\"name\":\"IT ward\"}"));
        expect(201, send("POST", api("care-teams/" + team + "/members"), admin, "{\"practitioner\":\""
                + practitioner + "\",\"institution\":\"" + tenant + "\",\"role\":\"" + role
                + "\",\"start\":\"2020-01-01T00:00:00Z\"}"));
        expect(201, send("POST", api("care-teams/" + team + "/patients"), admin, "{\"patient\":\"Patient/"
                + patientId + "\"}"));
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** The audit rows about a resource id by a user, oldest first, as "interaction:outcome:purpose". */
    static List<String> auditOf(String username, String resourceId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = owner(); PreparedStatement s = c.prepareStatement("SELECT interaction, outcome, purpose"
                + " FROM audit_event WHERE username = ? AND resource_id = ? ORDER BY seq")) {
            s.setString(1, username);
            s.setString(2, resourceId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
                }
            }
        }
        return rows;
    }
}
