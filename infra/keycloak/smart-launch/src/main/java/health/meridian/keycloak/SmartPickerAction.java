package health.meridian.keycloak;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.services.Urls;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * SMART standalone launch (ADR 0032): when an app asks for scope {@code launch/patient} without a {@code launch}
 * (an app started outside the chart), this required action sends the browser — after the user signed in, by
 * password or single sign-on — to Meridian's patient picker with a {@link PickerTicket}. Meridian decides which
 * patient may be the context (a patient: one of their own records; a clinician: one they may read), signs a launch
 * value for it, and sends the browser back to this action's login-actions URL with {@code meridian_launch}; the
 * action stores it exactly where an EHR launch's {@code launch} parameter lives (the client note
 * {@code client_request_param_launch}), so {@link SmartLaunchContextMapper} relays it as for an EHR launch, and
 * Meridian verifies it on every request as before (ADR 0028).
 * <p>
 * Never in the way of an ordinary login: it is triggered only for the authorization-code flow with that scope, no
 * launch and a picker base it may use; any failure lets the login go on without launch context. It registers itself
 * (transiently, per authentication session: no user keeps it) in every realm that has the {@code launch/patient}
 * client scope.
 */
public class SmartPickerAction implements RequiredActionProvider, RequiredActionFactory {

    public static final String PROVIDER_ID = "meridian-smart-picker";
    static final String SCOPE = "launch/patient";
    static final String LAUNCH_NOTE = AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + "launch";
    static final String AUD_NOTE = AuthorizationEndpoint.LOGIN_SESSION_NOTE_ADDITIONAL_REQ_PARAMS_PREFIX + "aud";
    static final long TICKET_SECONDS = 300;
    private static final Logger LOG = Logger.getLogger(SmartPickerAction.class.getName());

    /** The Meridian bases (regular expression) a picker may live at: env {@code MERIDIAN_SMART_PICKER_BASES}. */
    private volatile Pattern bases;

    // ---- factory

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
        String pattern = config == null ? null : config.get("bases");
        if (pattern == null || pattern.isBlank()) {
            pattern = System.getenv("MERIDIAN_SMART_PICKER_BASES");
        }
        bases = compile(pattern);
    }

    static Pattern compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            LOG.warning("MERIDIAN_SMART_PICKER_BASES is not a regular expression: no SMART patient picker ("
                    + e.getMessage() + ")");
            return null;
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            try {
                if (event instanceof PostMigrationEvent) {
                    KeycloakModelUtils.runJobInTransaction(factory,
                            s -> s.realms().getRealmsStream().forEach(SmartPickerAction::register));
                } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
                    register(created.getCreatedRealm());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not register the SMART patient picker", e);
            }
        });
    }

    /** Registers the action in a realm offering {@code launch/patient} (enabled, never a default for new users). */
    static void register(RealmModel realm) {
        boolean smart = realm.getClientScopesStream().anyMatch(s -> SCOPE.equals(s.getName()));
        if (!smart || realm.getRequiredActionProviderByAlias(PROVIDER_ID) != null) {
            return;
        }
        RequiredActionProviderModel model = new RequiredActionProviderModel();
        model.setAlias(PROVIDER_ID);
        model.setProviderId(PROVIDER_ID);
        model.setName("SMART patient picker (Meridian)");
        model.setEnabled(true);
        model.setDefaultAction(false);
        model.setPriority(1000);
        realm.addRequiredActionProvider(model);
        LOG.info("registered the SMART patient picker in realm " + realm.getName());
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayText() {
        return "SMART patient picker (Meridian)";
    }

    // ---- provider

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        try {
            AuthenticationSessionModel auth = context.getAuthenticationSession();
            if (wanted(auth.getClientNote("response_type"), auth.getClientNote("scope"),
                    auth.getClientNote(LAUNCH_NOTE)) && pickerBase(auth.getClientNote(AUD_NOTE), bases).isPresent()) {
                auth.addRequiredAction(PROVIDER_ID);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "SMART patient picker: not triggered", e);
        }
    }

    /** Only an authorization-code request (a browser) with scope {@code launch/patient} and no {@code launch}. */
    static boolean wanted(String responseType, String scope, String launch) {
        return responseType != null && !responseType.isBlank() && (launch == null || launch.isBlank())
                && scope != null && Arrays.asList(scope.trim().split("\\s+")).contains(SCOPE);
    }

    /**
     * The Meridian base of the picker: the SMART {@code aud} the app sent (the FHIR base it wants to use, with
     * {@code /fhir} taken off), only when it is one of the configured bases (else no picker: the ticket goes nowhere
     * else).
     */
    static Optional<String> pickerBase(String aud, Pattern bases) {
        if (aud == null || bases == null) {
            return Optional.empty();
        }
        String base = aud.trim().replaceAll("/+$", "").replaceAll("/fhir$", "");
        return base.length() <= 300 && bases.matcher(base).matches() && !base.contains("?") && !base.contains("#")
                && !base.contains("@") ? Optional.of(base) : Optional.empty();
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        try {
            AuthenticationSessionModel auth = context.getAuthenticationSession();
            Optional<String> base = pickerBase(auth.getClientNote(AUD_NOTE), bases);
            if (base.isEmpty()) {
                context.success();
                return;
            }
            String returnTo = context.getActionUrl(context.generateCode()).toString();
            String ticket = ticket(context.getSession(), context.getRealm(), context.getUser(),
                    auth.getClient().getClientId(), base.get(), returnTo,
                    Urls.realmIssuer(context.getUriInfo().getBaseUri(), context.getRealm().getName()));
            context.challenge(Response.seeOther(URI.create(base.get() + "/smart/picker?ticket="
                    + URLEncoder.encode(ticket, StandardCharsets.UTF_8))).build());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "SMART patient picker: the login goes on without launch context", e);
            context.success();
        }
    }

    static String ticket(KeycloakSession session, RealmModel realm, UserModel user, String client, String base,
                         String returnTo, String issuer) {
        long now = System.currentTimeMillis() / 1000;
        PickerTicket t = new PickerTicket();
        t.id(UUID.randomUUID().toString());
        t.type(PickerTicket.TYPE);
        t.issuer(issuer);
        t.audience(base);
        t.subject(user.getId());
        t.issuedFor(client);
        t.iat(now);
        t.exp(now + TICKET_SECONDS);
        t.getOtherClaims().put("return", returnTo);
        t.getOtherClaims().put("preferred_username", user.getUsername());
        String name = String.join(" ", List.of(nz(user.getFirstName()), nz(user.getLastName()))).trim();
        if (!name.isEmpty()) {
            t.getOtherClaims().put("name", name);
        }
        List<String> roles = new ArrayList<>();
        realm.getRolesStream().filter(user::hasRole).map(RoleModel::getName).forEach(roles::add);
        t.getOtherClaims().put("groups", roles);
        for (String attribute : List.of("tenant", "practitioner_id", "person_id")) {
            String value = user.getFirstAttribute(attribute);
            if (value != null) {
                t.getOtherClaims().put(attribute, value);
            }
        }
        return session.tokens().encode(t);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void processAction(RequiredActionContext context) {
        try {
            String value = parameter(context, "meridian_launch");
            Optional<LaunchValue> launch = LaunchValue.parse(value);
            if (launch.isPresent()) {
                context.getAuthenticationSession().setClientNote(LAUNCH_NOTE, launch.get().value());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "SMART patient picker: no launch context", e);
        }
        context.success();
    }

    private static String parameter(RequiredActionContext context, String name) {
        MultivaluedMap<String, String> query = context.getUriInfo().getQueryParameters();
        String value = query.getFirst(name);
        if (value == null && "POST".equals(context.getHttpRequest().getHttpMethod())) {
            value = context.getHttpRequest().getDecodedFormParameters().getFirst(name);
        }
        return value;
    }
}
