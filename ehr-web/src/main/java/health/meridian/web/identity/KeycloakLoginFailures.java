package health.meridian.web.identity;

import health.meridian.domain.audit.LoginFailure;
import health.meridian.domain.audit.LoginFailureSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@link LoginFailureSource} on Keycloak's admin events API ({@code GET /admin/realms/<realm>/events}), read with the
 * service account of a confidential client (client credentials) whose only role is realm-management
 * {@code view-events}. The realm and Keycloak's address come from the issuer the app already trusts.
 */
@ApplicationScoped
public class KeycloakLoginFailures implements LoginFailureSource {

    static final String TYPES = "type=LOGIN_ERROR&type=CLIENT_LOGIN_ERROR";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    String issuer;
    @Inject
    @ConfigProperty(name = "meridian.identity-events.client-id", defaultValue = "meridian-audit-import")
    String clientId;
    @Inject
    @ConfigProperty(name = "meridian.identity-events.secret")
    Optional<String> secret;

    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    @Override
    public boolean configured() {
        return secret.filter(s -> !s.isBlank()).isPresent();
    }

    @Override
    public List<LoginFailure> since(Instant from, int first, int max) {
        int realmAt = issuer.indexOf("/realms/");
        String url = issuer.substring(0, realmAt) + "/admin" + issuer.substring(realmAt) + "/events?" + TYPES
                + "&direction=asc&first=" + first + "&max=" + max
                + (from == null ? "" : "&dateFrom=" + from.toEpochMilli());
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + accessToken()).header("Accept", "application/json").GET().build();
        return parse(send(request, "events"));
    }

    /** Keycloak event representations as login failures (package-private for the unit test). */
    static List<LoginFailure> parse(String json) {
        List<LoginFailure> out = new ArrayList<>();
        for (JsonNode e : read(json)) {
            JsonNode details = e.path("details");
            long time = e.path("time").asLong();
            String type = e.path("type").asText("LOGIN_ERROR");
            String key = text(e, "id") != null ? "keycloak:" + text(e, "id")
                    : "keycloak:" + time + "|" + type + "|" + text(e, "userId") + "|" + text(e, "sessionId") + "|"
                            + text(e, "ipAddress") + "|" + text(e, "clientId");
            out.add(new LoginFailure(key.length() > 200 ? key.substring(0, 200) : key, Instant.ofEpochMilli(time),
                    type, text(e, "userId"), text(details, "username"), text(e, "clientId"), text(e, "ipAddress"),
                    text(e, "error"), text(details, "grant_type")));
        }
        return out;
    }

    private synchronized String accessToken() {
        if (token != null && Instant.now().isBefore(tokenExpires)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret="
                + enc(secret.orElseThrow());
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        JsonNode answer = read(send(request, "token"));
        token = answer.path("access_token").asText();
        tokenExpires = Instant.now().plusSeconds(Math.max(0, answer.path("expires_in").asInt(60) - 30));
        return token;
    }

    private String send(HttpRequest request, String what) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                if (r.statusCode() == 401) {
                    token = null;
                }
                throw new IllegalStateException("EHR-0712 Keycloak " + what + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("EHR-0712 Keycloak " + what + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("EHR-0712 interrupted", e);
        }
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.path(name);
        return v.isTextual() ? v.asText() : null;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("EHR-0712 Keycloak answered no JSON", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
