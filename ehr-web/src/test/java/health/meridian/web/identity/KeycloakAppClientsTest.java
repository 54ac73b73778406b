package health.meridian.web.identity;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.apps.SmartApp;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Keycloak client a registration becomes (ADR 0031), in-process. */
class KeycloakAppClientsTest {

    private static final Set<String> DEFINED = Set.of("system/*.rs", "patient/*.rs", "offline_access");

    @Test
    @SuppressWarnings("unchecked")
    void aBackendServiceIsAClientCredentialsClientWithSignedJwtAndItsInstitutionAsAClaim() {
        SmartApp app = new SmartApp("registry", TenantId.of("nl-amstel"), "Registry", SmartApp.Kind.BACKEND, List.of(),
                List.of("system/*.rs", "system/Unknown.rs"), "{\"keys\":[]}", "a", Instant.now(), Optional.empty());
        Map<String, Object> c = KeycloakAppClients.representation(app, DEFINED);
        assertThat(c).containsEntry("clientAuthenticatorType", "client-jwt").containsEntry("serviceAccountsEnabled", true)
                .containsEntry("standardFlowEnabled", false).containsEntry("publicClient", false)
                .containsEntry("directAccessGrantsEnabled", false);
        assertThat((Map<String, String>) c.get("attributes")).containsEntry("use.jwks.string", "true")
                .containsEntry("jwks.string", "{\"keys\":[]}");
        assertThat((List<String>) c.get("optionalClientScopes")).containsExactly("system/*.rs");
        List<Map<String, Object>> mappers = (List<Map<String, Object>>) c.get("protocolMappers");
        assertThat(mappers).anySatisfy(m -> {
            assertThat(m.get("protocolMapper")).isEqualTo("oidc-hardcoded-claim-mapper");
            assertThat((Map<String, String>) m.get("config")).containsEntry("claim.name", "tenant")
                    .containsEntry("claim.value", "nl-amstel");
        });
        assertThat(mappers).anySatisfy(m -> assertThat(m.get("protocolMapper")).isEqualTo("oidc-audience-mapper"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPublicAppUsesPkceAndNoSecret() {
        SmartApp app = new SmartApp("growth", TenantId.of("nl-amstel"), "Growth", SmartApp.Kind.PUBLIC,
                List.of("https://g.example/cb"), List.of("openid", "patient/*.rs"), null, "a", Instant.now(),
                Optional.empty());
        Map<String, Object> c = KeycloakAppClients.representation(app, DEFINED);
        assertThat(c).containsEntry("publicClient", true).containsEntry("standardFlowEnabled", true)
                .containsEntry("serviceAccountsEnabled", false);
        assertThat((Map<String, String>) c.get("attributes")).containsEntry("pkce.code.challenge.method", "S256");
        assertThat((List<String>) c.get("optionalClientScopes")).containsExactly("patient/*.rs");
        assertThat((List<String>) c.get("redirectUris")).containsExactly("https://g.example/cb");
    }
}
