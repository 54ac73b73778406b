package health.meridian.web.identity;

import health.meridian.domain.audit.LoginFailure;
import health.meridian.domain.audit.LoginFailureSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    String issuer;
    @Inject
    @ConfigProperty(name = "meridian.identity-events.client-id", defaultValue = "meridian-audit-import")
    String clientId;
    @Inject
    @ConfigProperty(name = "meridian.identity-events.secret")
    Optional<String> secret;

    private KeycloakAdminClient client;

    @Override
    public boolean configured() {
        return secret.filter(s -> !s.isBlank()).isPresent();
    }

    @Override
    public List<LoginFailure> since(Instant from, int first, int max) {
        KeycloakAdminClient.Answer a = admin().call("GET", "/events?" + TYPES + "&direction=asc&first=" + first
                + "&max=" + max + (from == null ? "" : "&dateFrom=" + from.toEpochMilli()), null);
        if (a.status() != 200) {
            throw new IllegalStateException("EHR-0712 Keycloak events answered " + a.status());
        }
        return parse(a.body());
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

    private synchronized KeycloakAdminClient admin() {
        if (client == null) {
            client = new KeycloakAdminClient(issuer, clientId, secret.orElseThrow());
        }
        return client;
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
}
