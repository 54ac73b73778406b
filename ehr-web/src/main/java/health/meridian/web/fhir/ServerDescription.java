package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Manifest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * What the CapabilityStatement says about the server itself (the search parameters are
 * {@link CapabilityStatementCustomizer}'s): the software is Meridian EHR with the version of the WAR's manifest (not
 * the HAPI library it is built on); {@code rest.security} says how to authenticate — OAuth 2.0 bearer tokens from
 * the Keycloak realm of {@code meridian.oidc.issuer}, with its token and authorize endpoints in SMART's
 * {@code oauth-uris} extension; the service is {@code SMART-on-FHIR} (scopes narrow access, ADR 0025; the SMART
 * discovery document is {@link SmartConfiguration}'s) and {@code OAuth}; and the system interactions served:
 * transaction, batch and history-system.
 */
@Interceptor
@ApplicationScoped
public class ServerDescription {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    private static final String SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    String issuer;

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describe(IBaseConformance generated, ServletRequestDetails request) {
        CapabilityStatement cs = (CapabilityStatement) generated;
        String version = version(request == null ? null : request.getServletRequest().getServletContext());
        cs.setName("MeridianEHR").setTitle("Meridian EHR FHIR R4 API");
        cs.getSoftware().setName("Meridian EHR").setVersion(version);
        cs.getImplementation().setDescription("Meridian EHR " + version);
        cs.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Meridian EHR " + version + "</div>");
        for (CapabilityStatementRestComponent rest : cs.getRest()) {
            describeSecurity(rest);
            for (SystemRestfulInteraction i : new SystemRestfulInteraction[] {SystemRestfulInteraction.TRANSACTION,
                    SystemRestfulInteraction.BATCH, SystemRestfulInteraction.HISTORYSYSTEM}) {
                if (rest.getInteraction().stream().noneMatch(x -> x.getCode() == i)) {
                    rest.addInteraction().setCode(i);
                }
            }
        }
    }

    private void describeSecurity(CapabilityStatementRestComponent rest) {
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
        security.getService().clear();
        security.addService(new CodeableConcept()
                .addCoding(new org.hl7.fhir.r4.model.Coding(SECURITY_SERVICE, "OAuth", "OAuth"))
                .addCoding(new org.hl7.fhir.r4.model.Coding(SECURITY_SERVICE, "SMART-on-FHIR", "SMART-on-FHIR"))
                .setText("OAuth 2.0 / OpenID Connect bearer tokens (Keycloak) with SMART App Launch v2 scopes"));
        security.setDescription("Every request except GET /metadata needs an OAuth 2.0 bearer token (RFC 6750): an"
                + " access token (JWT, RS256) issued by the Keycloak realm " + issuer + " for the audience"
                + " meridian-api, checked for signature, issuer, audience and expiry. The institution, role,"
                + " practitioner and patient come from the token's claims; what a caller may read or write is"
                + " decided on every request by Meridian's access policy, and audited. SMART scopes in the token"
                + " (patient/, user/; v2 .cruds and v1 .read/.write forms) only narrow what that policy allows; a"
                + " token without them is not narrowed. See " + "[base]/.well-known/smart-configuration. A missing or"
                + " refused token gets 401 with WWW-Authenticate: Bearer.");
        security.getExtension().removeIf(e -> OAUTH_URIS.equals(e.getUrl()));
        Extension uris = security.addExtension().setUrl(OAUTH_URIS);
        uris.addExtension("token", new UriType(issuer + "/protocol/openid-connect/token"));
        uris.addExtension("authorize", new UriType(issuer + "/protocol/openid-connect/auth"));
    }

    private static String version(ServletContext context) {
        if (context != null) {
            try (InputStream in = context.getResourceAsStream("/META-INF/MANIFEST.MF")) {
                if (in != null) {
                    String v = new Manifest(in).getMainAttributes().getValue("Implementation-Version");
                    if (v != null) {
                        return v;
                    }
                }
            } catch (IOException e) {
                // no manifest: the version is unknown
            }
        }
        return "unknown";
    }
}
