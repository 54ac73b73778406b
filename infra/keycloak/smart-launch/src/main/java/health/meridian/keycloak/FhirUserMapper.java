package health.meridian.keycloak;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

/**
 * SMART {@code fhirUser} (ADR 0028), attached to the realm's {@code fhirUser} client scope: a reference to the FHIR
 * resource of the user, {@code Practitioner/<practitioner_id>} for staff with a practitioner id (the user attribute
 * the tokens already carry as {@code practitioner_id}). Relative: the same realm serves every Meridian base URL.
 * Patients get none (their person is not a FHIR resource id; see ADR 0028).
 */
public class FhirUserMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper {

    public static final String PROVIDER_ID = "meridian-fhir-user";
    private static final java.util.regex.Pattern FHIR_ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "SMART fhirUser (Meridian)";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "fhirUser: Practitioner/<practitioner_id attribute> of the user.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return new ArrayList<>();
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel model, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext ctx) {
        String ref = fhirUser(userSession.getUser());
        if (ref != null) {
            token.getOtherClaims().put("fhirUser", ref);
        }
    }

    static String fhirUser(UserModel user) {
        String practitioner = user == null ? null : user.getFirstAttribute("practitioner_id");
        return practitioner != null && FHIR_ID.matcher(practitioner).matches() ? "Practitioner/" + practitioner : null;
    }
}
