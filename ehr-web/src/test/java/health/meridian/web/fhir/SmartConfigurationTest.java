package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmartConfigurationTest {

    @Test
    void theDocumentNamesTheRealmsEndpointsAndEhrLaunchWithPatientContext() {
        Map<String, Object> doc = SmartConfiguration.document("https://id.example/realms/meridian");
        assertThat(doc.get("issuer")).isEqualTo("https://id.example/realms/meridian");
        assertThat(doc.get("token_endpoint"))
                .isEqualTo("https://id.example/realms/meridian/protocol/openid-connect/token");
        assertThat(doc.get("authorization_endpoint"))
                .isEqualTo("https://id.example/realms/meridian/protocol/openid-connect/auth");
        assertThat(doc.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
        @SuppressWarnings("unchecked") List<String> caps = (List<String>) doc.get("capabilities");
        assertThat(caps).contains("launch-standalone", "permission-v2", "launch-ehr", "context-ehr-patient",
                "client-confidential-asymmetric", "context-ehr-encounter", "context-standalone-patient")
                .as("ADR 0032: no standalone encounter context").doesNotContain("context-standalone-encounter");
        @SuppressWarnings("unchecked") List<String> scopes = (List<String>) doc.get("scopes_supported");
        assertThat(scopes).contains("launch", "launch/patient", "fhirUser", "patient/Patient.rs")
                .doesNotContain("launch/encounter");
    }

    /** SMART Backend Services (ADR 0031): client credentials with private_key_jwt, RS384 and ES384 assertions. */
    @Test
    @SuppressWarnings("unchecked")
    void advertisesBackendServices() {
        Map<String, Object> doc = SmartConfiguration.document("https://id.example/realms/meridian");
        assertThat((List<String>) doc.get("grant_types_supported")).contains("client_credentials",
                "authorization_code");
        assertThat((List<String>) doc.get("token_endpoint_auth_methods_supported")).contains("private_key_jwt");
        assertThat((List<String>) doc.get("token_endpoint_auth_signing_alg_values_supported"))
                .contains("RS384", "ES384");
        assertThat((List<String>) doc.get("scopes_supported")).contains("system/*.rs", "system/Observation.rs");
    }

    /** What the document advertises is what the realm export defines (and the SMART test app may ask for). */
    @Test
    void advertisedScopesAreTheRealmsClientScopes() throws Exception {
        Path realm = Path.of("..", "infra", "keycloak", "meridian-realm.json");
        JsonNode root = new ObjectMapper().readTree(Files.readString(realm));
        List<String> defined = new ArrayList<>();
        root.get("clientScopes").forEach(s -> defined.add(s.get("name").asText()));
        List<String> advertised = new ArrayList<>(SmartConfiguration.RESOURCE_SCOPES);
        advertised.addAll(SmartConfiguration.CONTEXT_SCOPES);
        advertised.addAll(SmartConfiguration.SYSTEM_SCOPES);
        assertThat(defined).containsExactlyInAnyOrderElementsOf(advertised);
        root.get("clientScopes").forEach(s -> assertThat(s.get("attributes").get("include.in.token.scope").asText())
                .isEqualTo("true"));
        assertThat(root.get("attributes").get("CreateDefaultClientScopes").asText())
                .as("Keycloak's own client scopes (roles, microprofile-jwt...) are still created").isEqualTo("true");
        JsonNode app = null;
        for (JsonNode c : root.get("clients")) {
            if ("meridian-cli-smart".equals(c.get("clientId").asText())) {
                app = c;
            }
        }
        assertThat(app).isNotNull();
        List<String> optional = new ArrayList<>();
        app.get("optionalClientScopes").forEach(s -> optional.add(s.asText()));
        assertThat(optional).containsAll(SmartConfiguration.RESOURCE_SCOPES).contains("offline_access", "launch",
                "launch/patient", "fhirUser");
        assertThat(app.get("attributes").get("pkce.code.challenge.method").asText()).isEqualTo("S256");
    }
}
