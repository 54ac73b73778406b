package health.meridian.web.fhir;

import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /fhir/.well-known/smart-configuration} (no login; SMART App Launch v2 discovery, ADR 0025): the
 * Keycloak realm of {@code meridian.oidc.issuer} as the authorization server, its endpoints, and only what is true
 * today — the authorization code grant with PKCE S256, public clients, standalone launch, OpenID Connect sign-in,
 * v1 and v2 permissions of the patient and user levels, offline access, the EHR launch from the chart with the
 * launch patient as context (ADR 0028: {@code launch-ehr}, {@code context-ehr-patient}, scopes {@code launch} and
 * {@code fhirUser}); and (ADR 0031) registered confidential apps with a client secret, and SMART Backend Services:
 * the client credentials grant authenticated by a signed JWT ({@code private_key_jwt}, Keycloak's "Signed JWT"
 * authenticator against the JWKS the app was registered with) with the {@code system/} scopes the realm defines.
 * ADR 0032: the encounter of an EHR launch from an encounter ({@code context-ehr-encounter}) and the standalone
 * launch's patient chosen in Meridian's patient picker ({@code context-standalone-patient}, scope
 * {@code launch/patient}). No standalone encounter context.
 */
@WebServlet("/fhir/.well-known/smart-configuration")
public class SmartConfiguration extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The SMART resource scopes the realm defines (optional client scopes of SMART apps, infra/keycloak). */
    static final List<String> RESOURCE_SCOPES = List.of("patient/*.rs", "patient/Observation.rs",
            "patient/Condition.rs", "user/*.rs", "user/*.cruds", "user/Observation.rs", "patient/Patient.rs");

    /**
     * The SMART context scopes the realm defines: the EHR launch (ADR 0028), the standalone launch's patient
     * (ADR 0032) and fhirUser.
     */
    static final List<String> CONTEXT_SCOPES = List.of("launch", "launch/patient", "fhirUser");

    /** The realm's {@code system/} scopes: a registered backend service asks for these (ADR 0031). */
    static final List<String> SYSTEM_SCOPES = List.of("system/*.rs", "system/Patient.rs", "system/Observation.rs");

    /**
     * What Keycloak's client-jwt authenticator verifies a client assertion with (SMART requires RS384 and ES384); it
     * accepts the other RSA and EC algorithms too, listed here so that the document says what is true.
     */
    static final List<String> ASSERTION_ALGORITHMS = List.of("RS384", "ES384", "RS256", "RS512", "ES256", "ES512");

    /**
     * What is true (ADR 0025, 0028, 0031, 0032): EHR launch with the launch patient and, launched from an
     * encounter, that encounter as context; standalone launch with {@code launch/patient}: the patient chosen in
     * Meridian's patient picker (a patient: one of their own records; a clinician: one they may read) is the context
     * ({@code context-standalone-patient}); no {@code context-standalone-encounter}; public, confidential (secret)
     * and asymmetric (backend services) clients.
     */
    static final List<String> CAPABILITIES = List.of("launch-ehr", "launch-standalone", "client-public",
            "client-confidential-symmetric", "client-confidential-asymmetric", "sso-openid-connect",
            "context-ehr-patient", "context-ehr-encounter", "context-standalone-patient", "permission-offline",
            "permission-patient", "permission-user", "permission-v1", "permission-v2");

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    String issuer;

    /** The discovery document for the realm at {@code issuer}. */
    static Map<String, Object> document(String issuer) {
        String oidc = issuer + "/protocol/openid-connect";
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", oidc + "/certs");
        doc.put("authorization_endpoint", oidc + "/auth");
        doc.put("token_endpoint", oidc + "/token");
        doc.put("revocation_endpoint", oidc + "/revoke");
        doc.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
        doc.put("response_types_supported", List.of("code"));
        doc.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post",
                "private_key_jwt"));
        doc.put("token_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGORITHMS);
        doc.put("code_challenge_methods_supported", List.of("S256"));
        List<String> scopes = new java.util.ArrayList<>(List.of("openid", "profile", "offline_access"));
        scopes.addAll(CONTEXT_SCOPES);
        scopes.addAll(RESOURCE_SCOPES);
        scopes.addAll(SYSTEM_SCOPES);
        doc.put("scopes_supported", scopes);
        doc.put("capabilities", CAPABILITIES);
        return doc;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        try (Jsonb jsonb = JsonbBuilder.create()) {
            response.getWriter().write(jsonb.toJson(document(issuer)));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
