package health.meridian.keycloak;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenResponseMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;

/**
 * SMART EHR launch context (ADR 0028). Attached to the realm's {@code launch} client scope, so it runs only for an
 * app that asked for scope {@code launch}. It takes the {@code launch} parameter of the authorization request
 * (Keycloak keeps unknown request parameters as the client note {@code client_request_param_launch}) or of the token
 * request (password grant, tests), keeps it with the client session (so a refreshed token keeps it, with the time it
 * was first redeemed), and puts
 * <ul>
 *   <li>into the token response: {@code patient} and {@code encounter}, as SMART App Launch requires;</li>
 *   <li>into the access token: {@code smart_launch} (the value itself, which Meridian verifies: signature, user,
 *       client, expiry), {@code smart_launch_at} (when Keycloak first saw it, for the expiry check) and
 *       {@code patient}/{@code encounter}.</li>
 * </ul>
 * Keycloak does not verify the value: only Meridian holds the key (see {@link LaunchValue}).
 */
public class SmartLaunchContextMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCAccessTokenResponseMapper {

    public static final String PROVIDER_ID = "meridian-smart-launch-context";
    static final String NOTE_VALUE = "meridian_smart_launch";
    static final String NOTE_AT = "meridian_smart_launch_at";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "SMART launch context (Meridian)";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Relays the SMART launch value Meridian signed: patient and encounter into the token response, the"
                + " value into the access token (Meridian verifies it).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return new ArrayList<>();
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext ctx) {
        launch(session, ctx).ifPresent(l -> {
            token.getOtherClaims().put("smart_launch", l.launch().value());
            token.getOtherClaims().put("smart_launch_at", l.at());
            token.getOtherClaims().put("patient", l.launch().patient());
            l.launch().encounter().ifPresent(e -> token.getOtherClaims().put("encounter", e));
        });
        return token;
    }

    @Override
    public AccessTokenResponse transformAccessTokenResponse(AccessTokenResponse response, ProtocolMapperModel model,
                                                            KeycloakSession session, UserSessionModel userSession,
                                                            ClientSessionContext ctx) {
        launch(session, ctx).ifPresent(l -> {
            response.getOtherClaims().put("patient", l.launch().patient());
            l.launch().encounter().ifPresent(e -> response.getOtherClaims().put("encounter", e));
        });
        return response;
    }

    record Redeemed(LaunchValue launch, long at) {
    }

    /**
     * The launch of this client session: the one its latest authorization (or this token request) names, else the
     * one it kept (a refresh); first seen now unless it is the one kept.
     */
    private static Optional<Redeemed> launch(KeycloakSession session, ClientSessionContext ctx) {
        AuthenticatedClientSessionModel client = ctx.getClientSession();
        if (client == null) {
            return Optional.empty();
        }
        String asked = client.getNote(AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX
                + "launch");
        if (asked == null) {
            asked = formParameter(session, "launch");
        }
        String kept = client.getNote(NOTE_VALUE);
        String value = asked != null ? asked : kept;
        Optional<LaunchValue> launch = LaunchValue.parse(value);
        if (launch.isEmpty()) {
            return Optional.empty();
        }
        long at;
        String keptAt = client.getNote(NOTE_AT);
        if (value.equals(kept) && keptAt != null && keptAt.matches("\\d{1,12}")) {
            at = Long.parseLong(keptAt);
        } else {
            at = System.currentTimeMillis() / 1000;
            client.setNote(NOTE_VALUE, value);
            client.setNote(NOTE_AT, Long.toString(at));
        }
        return Optional.of(new Redeemed(launch.get(), at));
    }

    private static String formParameter(KeycloakSession session, String name) {
        try {
            var request = session.getContext().getHttpRequest();
            if (request == null || request.getHttpMethod() == null || !"POST".equals(request.getHttpMethod())) {
                return null;
            }
            return request.getDecodedFormParameters().getFirst(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
