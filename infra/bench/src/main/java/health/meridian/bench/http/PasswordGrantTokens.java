package health.meridian.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.bench.BenchException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tokens from Keycloak's password grant on the local realm's {@code meridian-cli} client, fetched again when less
 * than a minute of the (5 minute) lifetime is left, so a long import never sends an expired token.
 */
public final class PasswordGrantTokens implements TokenSource {

    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI tokenEndpoint;
    private final String username;
    private final String password;
    private String current;
    private Instant expiresAt = Instant.EPOCH;

    public PasswordGrantTokens(String keycloakUrl, String username, String password) {
        this.tokenEndpoint = URI.create(keycloakUrl + "/realms/meridian/protocol/openid-connect/token");
        this.username = username;
        this.password = password;
    }

    @Override
    public synchronized Optional<String> token() {
        if (current == null || Instant.now().plus(REFRESH_MARGIN).isAfter(expiresAt)) {
            fetch();
        }
        return Optional.of(current);
    }

    public String username() {
        return username;
    }

    private void fetch() {
        String form = "grant_type=password&client_id=meridian-cli&username=" + enc(username) + "&password=" + enc(password);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
                throw new BenchException("BENCH-0101 no token for " + username + " from " + tokenEndpoint + ": HTTP "
                        + response.statusCode() + " " + abbreviate(response.body()));
            }
            current = body.get("access_token").asText();
            expiresAt = Instant.now().plusSeconds(body.path("expires_in").asLong(300));
        } catch (IOException e) {
            throw new BenchException("BENCH-0102 Keycloak at " + tokenEndpoint + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("BENCH-0103 interrupted while fetching a token", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
