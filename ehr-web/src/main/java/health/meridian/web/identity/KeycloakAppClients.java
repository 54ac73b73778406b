package health.meridian.web.identity;

import com.fasterxml.jackson.databind.JsonNode;
import health.meridian.domain.apps.AppClients;
import health.meridian.domain.apps.SmartApp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AppClients} on Keycloak's admin REST API, as the service account of {@code meridian-user-admin} (realm
 * management {@code manage-users} and {@code manage-clients}). A public app: PKCE S256, no secret. A confidential
 * app: a client secret Keycloak generates. A backend service (SMART Backend Services): the client credentials grant
 * only, authenticated by Keycloak's "Signed JWT" authenticator ({@code client-jwt}) against the JWKS it was
 * registered with, its service account holding the realm role {@code backend-service} and its tokens carrying its
 * institution as a hard-coded {@code tenant} claim. Every app's tokens name the API ({@code aud meridian-api}); the
 * scopes it was registered with are its optional client scopes (it gets those it asks for, nothing else).
 */
@ApplicationScoped
public class KeycloakAppClients implements AppClients {

    static final String BACKEND_ROLE = "backend-service";

    @Inject
    UserAdminAccount account;

    @Override
    public boolean configured() {
        return account.configured();
    }

    @Override
    public String create(SmartApp app) {
        java.util.Set<String> defined = new java.util.HashSet<>();
        ok(admin().call("GET", "/client-scopes", null), "client scopes").json()
                .forEach(scope -> defined.add(scope.path("name").asText()));
        KeycloakAdminClient.Answer created = admin().call("POST", "/clients", representation(app, defined));
        if (created.status() == 409) {
            throw new IllegalStateException("EHR-1178 the client id " + app.clientId() + " is taken");
        }
        ok(created, "create client");
        String uuid = uuidOf(app.clientId());
        try {
            if (app.kind() == SmartApp.Kind.BACKEND) {
                String user = ok(admin().call("GET", "/clients/" + uuid + "/service-account-user", null),
                        "service account").json().path("id").asText();
                mapBackendRole(user);
            }
            if (app.kind() == SmartApp.Kind.CONFIDENTIAL) {
                return ok(admin().call("GET", "/clients/" + uuid + "/client-secret", null), "client secret").json()
                        .path("value").asText(null);
            }
            return null;
        } catch (RuntimeException e) {
            admin().call("DELETE", "/clients/" + uuid, null); // half made: the registry row rolls back, so does this
            throw e;
        }
    }

    /** The realm role {@code backend-service} on the service account (as user administration maps roles). */
    private void mapBackendRole(String user) {
        for (JsonNode r : ok(admin().call("GET", "/users/" + user + "/role-mappings/realm/available", null),
                "available roles").json()) {
            if (BACKEND_ROLE.equals(r.path("name").asText())) {
                ok(admin().call("POST", "/users/" + user + "/role-mappings/realm",
                        List.of(Map.of("id", r.path("id").asText(), "name", BACKEND_ROLE))), "map role");
                return;
            }
        }
        throw new UserDirectoryUnavailableException("EHR-0914 Keycloak offers no realm role " + BACKEND_ROLE);
    }

    @Override
    public void disable(String clientId) {
        String uuid = uuidOf(clientId);
        JsonNode rep = ok(admin().call("GET", "/clients/" + uuid, null), "read client").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) rep).put("enabled", false);
        ok(admin().call("PUT", "/clients/" + uuid, rep), "disable client");
    }

    /**
     * The client's representation; its optional client scopes are the registered scopes the realm defines (a scope
     * it does not define, such as {@code openid}, cannot be granted by it anyway).
     */
    static Map<String, Object> representation(SmartApp app, java.util.Set<String> definedScopes) {
        boolean backend = app.kind() == SmartApp.Kind.BACKEND;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("clientId", app.clientId());
        c.put("name", app.name());
        c.put("enabled", true);
        c.put("protocol", "openid-connect");
        c.put("publicClient", app.kind() == SmartApp.Kind.PUBLIC);
        c.put("standardFlowEnabled", !backend);
        c.put("implicitFlowEnabled", false);
        c.put("directAccessGrantsEnabled", false);
        c.put("serviceAccountsEnabled", backend);
        c.put("fullScopeAllowed", true);
        c.put("redirectUris", app.redirectUris());
        Map<String, String> attributes = new LinkedHashMap<>();
        if (backend) {
            c.put("clientAuthenticatorType", "client-jwt");
            attributes.put("use.jwks.url", "false");
            attributes.put("use.jwks.string", "true");
            attributes.put("jwks.string", app.jwks());
        } else {
            c.put("clientAuthenticatorType", "client-secret");
            attributes.put("pkce.code.challenge.method", "S256");
        }
        c.put("attributes", attributes);
        List<Map<String, Object>> mappers = new ArrayList<>();
        mappers.add(mapper("audience meridian-api", "oidc-audience-mapper", Map.of(
                "included.client.audience", "meridian-api", "access.token.claim", "true", "id.token.claim", "false")));
        if (backend) {
            mappers.add(mapper("tenant", "oidc-hardcoded-claim-mapper", Map.of("claim.name", "tenant",
                    "claim.value", app.tenant().value(), "jsonType.label", "String", "access.token.claim", "true",
                    "id.token.claim", "false", "userinfo.token.claim", "false")));
        } else {
            for (String attribute : List.of("tenant", "person_id", "practitioner_id")) {
                mappers.add(mapper(attribute, "oidc-usermodel-attribute-mapper", Map.of("user.attribute", attribute,
                        "claim.name", attribute, "jsonType.label", "String", "access.token.claim", "true",
                        "id.token.claim", "true", "userinfo.token.claim", "true")));
            }
        }
        c.put("protocolMappers", mappers);
        c.put("defaultClientScopes", backend ? List.of("basic", "roles", "microprofile-jwt")
                : List.of("basic", "profile", "email", "roles", "web-origins", "acr", "microprofile-jwt"));
        c.put("optionalClientScopes", app.scopes().stream().filter(definedScopes::contains).toList());
        return c;
    }

    private static Map<String, Object> mapper(String name, String type, Map<String, String> config) {
        return Map.of("name", name, "protocol", "openid-connect", "protocolMapper", type, "config", config);
    }

    private String uuidOf(String clientId) {
        JsonNode found = ok(admin().call("GET", "/clients?clientId=" + KeycloakAdminClient.enc(clientId), null),
                "find client").json();
        if (!found.isArray() || found.isEmpty()) {
            throw new UserDirectoryUnavailableException("EHR-0914 Keycloak has no client " + clientId);
        }
        return found.get(0).path("id").asText();
    }

    private static KeycloakAdminClient.Answer ok(KeycloakAdminClient.Answer a, String what) {
        if (a.status() / 100 != 2) {
            throw new UserDirectoryUnavailableException("EHR-0914 Keycloak " + what + " answered " + a.status() + " "
                    + (a.body() == null ? "" : a.body().substring(0, Math.min(200, a.body().length()))));
        }
        return a;
    }

    private KeycloakAdminClient admin() {
        return account.admin("app registration");
    }
}
