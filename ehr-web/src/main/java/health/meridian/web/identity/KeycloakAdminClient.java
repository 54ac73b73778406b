package health.meridian.web.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Calls to Keycloak's admin REST API of the realm the app trusts, as the service account of one confidential client
 * (client credentials grant; the token is kept until 30 s before it expires, dropped on a 401). The realm and
 * Keycloak's address come from the issuer.
 */
final class KeycloakAdminClient {

    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body, String location) {
        JsonNode json() {
            return read(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String issuer;
    private final String clientId;
    private final String secret;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    KeycloakAdminClient(String issuer, String clientId, String secret) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.secret = secret;
    }

    /** {@code <keycloak>/admin/realms/<realm>} */
    String adminBase() {
        int realmAt = issuer.indexOf("/realms/");
        return issuer.substring(0, realmAt) + "/admin" + issuer.substring(realmAt);
    }

    /** An admin API call ({@code path} below the realm's admin base); any status is returned, I/O errors throw. */
    Answer call(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminBase() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + accessToken()).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(write(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = send(b.build(), method + " " + path);
        if (r.statusCode() == 401) {
            token = null;
        }
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null));
    }

    private synchronized String accessToken() {
        if (token != null && Instant.now().isBefore(tokenExpires)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> r = send(request, "token");
        if (r.statusCode() != 200) {
            throw new UserDirectoryUnavailableException("EHR-0914 Keycloak refused the service account " + clientId + ": "
                    + r.statusCode());
        }
        JsonNode answer = read(r.body());
        token = answer.path("access_token").asText();
        tokenExpires = Instant.now().plusSeconds(Math.max(0, answer.path("expires_in").asInt(60) - 30));
        return token;
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UserDirectoryUnavailableException("EHR-0914 Keycloak unreachable (" + what + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserDirectoryUnavailableException("EHR-0914 interrupted", e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json == null || json.isBlank() ? "null" : json);
        } catch (IOException e) {
            throw new UncheckedIOException("EHR-0914 Keycloak answered no JSON", e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
