package health.meridian.web.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real services the integration tests talk to (started by the build: see ehr-web/pom.xml). */
public final class TestStack {

    /**
     * The app's base URL on the loopback interface. Arquillian reports the host name Payara Micro resolved for
     * itself (possibly a non-loopback address); the app listens on 127.0.0.1 only, and tests never leave loopback.
     */
    public static String app(java.net.URL arquillianBase) {
        String app = "http://127.0.0.1:" + arquillianBase.getPort() + arquillianBase.getPath().replaceAll("/$", "");
        awaitReady(app);
        return app;
    }

    private static final java.util.Set<String> READY = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Once per deployment: waits (up to 4 minutes) until the app reports ready — database, search, identity and the
     * FHIR validator, which loads the R4 structure definitions in the background after deployment. Tests then see
     * the app as a client of a ready instance would; if it never gets ready, the test itself shows why.
     */
    private static void awaitReady(String app) {
        if (READY.contains(app)) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(app + "/health/ready"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
                Thread.sleep(1000);
            } catch (IOException e) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        READY.add(app);
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private TestStack() {
    }

    public static String issuer() {
        return System.getProperty("meridian.test.oidc.issuer");
    }

    public static String elasticsearch() {
        return System.getProperty("meridian.test.es.url");
    }

    /** An access token for a demo user, from Keycloak's token endpoint (password grant of the local CLI client). */
    public static String token(String username) throws IOException, InterruptedException {
        HttpResponse<String> response = passwordGrant("grant_type=password&client_id=meridian-cli&username="
                + enc(username) + "&password=meridian");
        Matcher m = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("no token for " + username + ": " + response.body());
        }
        return m.group(1);
    }

    /**
     * Keycloak's token endpoint, password grant ({@code form} is the whole request body), as every test asks it.
     * Keycloak 26's default brute-force protector (the blocking one, which stops parallel guesses from getting past the
     * lockout count) refuses a user's login while its bookkeeping of that user's previous login still runs on a
     * background thread, and answers exactly as for a wrong password ("Invalid user credentials"; its event log says
     * user_temporarily_disabled, and nothing is counted against the user). On a loaded machine that hits back-to-back
     * logins of one user: 7 of 150 strictly sequential logins of dr.jansen with the CPUs busy (2026-12-07). Such an
     * answer is asked again, up to 6 times within about 5 s; a password that is really wrong is refused every time,
     * and any other refusal (disabled, not fully set up) is returned at once.
     */
    public static HttpResponse<String> passwordGrant(String form) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        for (int attempt = 1; attempt <= 6 && response.statusCode() == 400
                && response.body().contains("Invalid user credentials"); attempt++) {
            Thread.sleep(250L * attempt);
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return response;
    }

    /** A connection as the schema owner, to look at what the application really stored (bypasses nothing: RLS
     * is forced for the owner too, so the test binds the tenant it inspects). */
    public static Connection ownerConnection() throws SQLException {
        return DriverManager.getConnection(System.getProperty("meridian.test.db.url"), "meridian_owner",
                "meridian_owner");
    }

    public static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        String accept = url.contains("/api/") ? "application/json" : "application/fhir+json";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replace("|", "%7C"))).header("Accept", accept)
                .timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(String url, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Registers the demo institutions (idempotent PUT as the platform admin), as the demo loader does. */
    public static void ensureTenants(String appBase) throws IOException, InterruptedException {
        String admin = token("platform.admin");
        for (String[] t : new String[][] {{"nl-amstel", "Amstel Hospital", "NL", "eu-west"},
                {"de-spree", "Spree Klinikum", "DE", "eu-central"}}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(appBase + "/api/tenants/" + t[0]))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + t[1] + "\",\"country\":\"" + t[2]
                            + "\",\"region\":\"" + t[3] + "\"}")).build();
            int status = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
            if (status != 200 && status != 201) {
                throw new IllegalStateException("registering " + t[0] + " answered " + status);
            }
        }
        ensureAnnaAtAmstel(appBase);
    }

    private static boolean annaAtAmstel;

    /**
     * The tests' world has Anna (patient.anna, person-anna) registered at Amstel, her home institution, and many
     * classes register her there again as dr. Jansen without asking her: allowed once Amstel holds a record of her
     * (ADR 0018). Which class of the suite first touches person-anna depends on the order the classes run in, and
     * that order is the file system's; so the first set-up of the run registers her at Amstel itself, with her consent
     * (a grant to Amstel, revoked at once) where another institution or her own portal made her known first.
     */
    private static synchronized void ensureAnnaAtAmstel(String appBase) throws IOException, InterruptedException {
        if (annaAtAmstel) {
            return;
        }
        String jansen = token("dr.jansen");
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\","
                + "\"value\":\"person-anna\"}],\"name\":[{\"family\":\"Home\",\"given\":[\"Anna\"]}]}";
        HttpResponse<String> created = send("POST", appBase + "/fhir/Patient", jansen, patient);
        if (created.statusCode() != 201 && created.body().contains("EHR-0450")) {
            String anna = token("patient.anna");
            String grant = grant(appBase, anna, "nl-amstel");
            try {
                created = send("POST", appBase + "/fhir/Patient", jansen, patient);
            } finally {
                revokeGrant(appBase, anna, grant);
            }
        }
        if (created.statusCode() != 201) {
            throw new IllegalStateException("registering Anna at nl-amstel answered " + created.statusCode() + ": "
                    + created.body());
        }
        annaAtAmstel = true;
    }

    /** The person behind {@code personToken} grants {@code institution} access for treatment (sensitive records
     * excluded, a cross-border grant confirmed); the grant's id. */
    public static String grant(String appBase, String personToken, String institution)
            throws IOException, InterruptedException {
        HttpResponse<String> grant = send("POST", appBase + "/api/grants", personToken, "{\"institution\":\""
                + institution + "\",\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\","
                + "\"confirmCrossBorder\":true}", JSON);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(grant.body());
        if (grant.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("the grant to " + institution + " answered " + grant.statusCode() + ": "
                    + grant.body());
        }
        return id.group(1);
    }

    /** Revokes the grant {@code id} as the person who made it. */
    public static void revokeGrant(String appBase, String personToken, String id)
            throws IOException, InterruptedException {
        send("DELETE", appBase + "/api/grants/" + id, personToken, null, JSON);
    }

    /**
     * A request with FHIR's Content-Type and Accept unless {@code headers} (name, value pairs) name others; the JSON API
     * answers FHIR's Content-Type with 415, so its callers pass {@link #JSON}.
     */
    public static HttpResponse<String> send(String method, String url, String token, String body,
                                            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replace("|", "%7C")))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]); // replaces: a caller's Content-Type or Accept wins over FHIR's
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The headers of a JSON API call, for {@link #send}. */
    public static final String[] JSON = {"Content-Type", "application/json", "Accept", "application/json"};

    private static final Pattern OUTBOX_DEPTH = Pattern.compile("\"outboxDepth\"\\s*:\\s*\"?(\\d+)");
    private static volatile String operatorToken;
    private static volatile long operatorTokenAt;

    /**
     * The outbox depth the platform admin reads from {@code /api/admin/health} (the unauthenticated
     * {@code /health/ready} carries no figures), or -1 when unknown. The token is fetched again every minute.
     */
    public static long outboxDepth(String app) throws IOException, InterruptedException {
        if (operatorToken == null || System.nanoTime() - operatorTokenAt > Duration.ofMinutes(1).toNanos()) {
            operatorToken = token("platform.admin");
            operatorTokenAt = System.nanoTime();
        }
        HttpResponse<String> r = get(app + "/api/admin/health", operatorToken);
        Matcher m = OUTBOX_DEPTH.matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
