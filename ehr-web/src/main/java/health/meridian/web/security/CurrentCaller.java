package health.meridian.web.security;

import health.meridian.domain.apps.SmartApp;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Resolves the {@link Caller} of the current request from the principal MicroProfile JWT validated, and the registered
 * app the token was issued to (checked by {@link BearerTokenFilter}, ADR 0031). The role {@code backend-service}
 * counts only on the token of an app registered as a backend service.
 *
 * <p>Application-scoped, with the request's caller kept in a request attribute: a request-scoped bean was created,
 * injected (Payara's resource-injection check on every instance) and destroyed on every request, about 3 % of an
 * audited read's CPU (JFR, docs/benchmarks.md). The attribute is set only here, on the server side.
 */
@ApplicationScoped
public class CurrentCaller {

    /** The only roles Meridian acts on (Keycloak adds default-roles-meridian, offline_access, ... to groups). */
    static final Set<String> MERIDIAN_ROLES = Set.of("clinician", "nurse", "tenant-admin", "platform-admin",
            "patient", "researcher");

    @Inject
    HttpServletRequest request;
    @Inject
    SmartLaunches launches;

    /** The request attribute holding the caller once resolved (the same for the whole request). */
    static final String RESOLVED = "meridian.caller";

    public Caller get() {
        if (request.getAttribute(RESOLVED) instanceof Caller caller) {
            return caller;
        }
        Caller caller = resolve();
        request.setAttribute(RESOLVED, caller);
        return caller;
    }

    /**
     * The request attribute in which the SMART patient picker ({@code SmartPickerServlet}, ADR 0032) puts the caller
     * of a ticket it verified. Honoured only on the picker's own path: a ticket is never a caller anywhere else.
     */
    public static final String PICKER_CALLER = "meridian.smart.picker.caller";
    /** The picker's path (below the context root). */
    public static final String PICKER_PATH = "/smart/picker";

    /** The caller a verified picker ticket names (ADR 0032): no SMART scopes, no app of its own. */
    public static Caller ofPickerTicket(SmartPickerTickets.Ticket t) {
        Set<String> roles = new HashSet<>(t.roles());
        roles.retainAll(MERIDIAN_ROLES);
        return new Caller(t.subject(), t.username(), Set.copyOf(roles), t.tenant().map(TenantId::of),
                t.practitionerId(), t.personId(), t.name(), SmartScopes.NONE, Optional.empty());
    }

    private Caller resolve() {
        if (request.getAttribute(PICKER_CALLER) instanceof Caller picker && request.getUserPrincipal() == null
                && (request.getContextPath() + PICKER_PATH).equals(request.getRequestURI())) {
            return picker;
        }
        if (!(request.getUserPrincipal() instanceof JsonWebToken jwt)) {
            throw new NotAuthenticatedException("EHR-0300 a valid bearer token is required");
        }
        Set<String> groups = jwt.getGroups() == null ? new HashSet<>() : new HashSet<>(jwt.getGroups());
        Optional<SmartApp> app = request.getAttribute(BearerTokenFilter.APP) instanceof SmartApp a
                ? Optional.of(a) : Optional.empty();
        boolean backend = groups.contains(Caller.BACKEND_SERVICE)
                && app.filter(a -> a.kind() == SmartApp.Kind.BACKEND).isPresent();
        groups.retainAll(MERIDIAN_ROLES);
        if (backend) {
            groups = Set.of(Caller.BACKEND_SERVICE); // a backend service is no user: no user role counts with it
        }
        Optional<TenantId> tenant = claim(jwt, "tenant").map(TenantId::of);
        String username = claim(jwt, "preferred_username").orElse(jwt.getName());
        SmartScopes scopes = SmartScopes.parse(claim(jwt, "scope").orElse(null));
        if (!backend) { // a backend service's scopes are judged as system/ scopes (AccessPolicy.decideScope)
            scopes = scopes.forClient(claim(jwt, "azp").orElse(null));
        }
        if (scopes.narrows() && !groups.contains("patient")) {
            scopes = scopes.withLaunchPerson(launchPerson(jwt, tenant).orElse(null));
        }
        return new Caller(jwt.getSubject(), username, Set.copyOf(groups), tenant, claim(jwt, "practitioner_id"),
                claim(jwt, "person_id"), claim(jwt, "name").orElse(app.filter(a -> backend).map(SmartApp::name)
                .orElse(username)), scopes, app.map(a -> new Caller.App(a.clientId(), a.name())));
    }

    /**
     * The person of the token's SMART launch patient (ADR 0028): the launch value Keycloak relayed
     * ({@code smart_launch}), verified by {@link SmartLaunches} for this user, app ({@code azp}), institution and
     * {@code patient} claim, redeemed ({@code smart_launch_at}, set by Keycloak) before it expired. Else none.
     */
    private Optional<String> launchPerson(JsonWebToken jwt, Optional<TenantId> tenant) {
        Optional<String> value = claim(jwt, "smart_launch");
        Optional<String> at = claim(jwt, "smart_launch_at").filter(t -> t.matches("\\d{1,12}"));
        if (value.isEmpty() || at.isEmpty() || tenant.isEmpty()) {
            return Optional.empty();
        }
        return launches.verify(value.get(), jwt.getSubject(), claim(jwt, "azp").orElse(null), tenant.get().value(),
                claim(jwt, "patient").orElse(null), Long.parseLong(at.get())).map(SmartLaunches.Launch::person);
    }

    private static Optional<String> claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value == null) {
            return Optional.empty();
        }
        String text = value instanceof jakarta.json.JsonString s ? s.getString() : value.toString();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }
}
