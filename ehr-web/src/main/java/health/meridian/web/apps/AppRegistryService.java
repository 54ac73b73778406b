package health.meridian.web.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.apps.AppClients;
import health.meridian.domain.apps.SmartApp;
import health.meridian.domain.apps.SmartAppRegistry;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.identity.UserDirectoryUnavailableException;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The app registry's use cases (issue #23, ADR 0031): an institution's administrator registers SMART apps, lists and
 * revokes them. Decided by {@link AccessPolicy#appAdminInstitution} and audited through {@link AccessSeam#acting}.
 * Registration writes the registry row first and then creates the Keycloak client in the same transaction (a failing
 * Keycloak rolls the row back). Revocation commits in the registry whatever Keycloak answers — the registry is what
 * refuses the app's tokens on every request; disabling the client (no new tokens) is reported, and retried by
 * revoking again.
 */
@ApplicationScoped
@Transactional
public class AppRegistryService {

    private static final Logger LOG = Logger.getLogger(AppRegistryService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SmartAppRegistry registry;
    @Inject
    AppClients clients;
    @Inject
    AccessPolicy policy;
    @Inject
    AccessSeam seam;
    @Inject
    health.meridian.domain.tenant.InstitutionRepository institutions;

    /** What an administrator asks to register. */
    public record Registration(String clientId, String name, String kind, List<String> redirectUris,
                               List<String> scopes, String jwks) {
    }

    /** A registered app and, for a confidential one, its client secret (shown once). */
    public record Registered(SmartApp app, String secret) {
    }

    /** A revoked app, and whether its Keycloak client was disabled too. */
    public record Revoked(SmartApp app, boolean clientDisabled) {
    }

    public List<SmartApp> list() {
        AccessSeam.Acting acting = institution(AuditAction.R, "app-list", null);
        acting.done(e -> e.about(acting.tenant().value(), null, null));
        return registry.of(acting.tenant());
    }

    public Registered register(Registration r) {
        AccessSeam.Acting acting = institution(AuditAction.C, "app-register", r == null ? null : r.clientId());
        try {
            SmartApp app = app(r, acting.tenant(), acting.caller().subject());
            institutions.find(acting.tenant()).orElseThrow(() -> new IllegalArgumentException(
                    "EHR-1187 the institution " + acting.tenant().value() + " is not registered on the platform"));
            available();
            acting.done(e -> e.about(acting.tenant().value(), null, null).withDetail("app " + app.clientId() + " ("
                    + app.kind().text() + ") registered: " + app.name() + "; scopes " + String.join(" ", app.scopes())));
            registry.register(app);
            return new Registered(app, clients.create(app));
        } catch (IllegalArgumentException e) {
            throw acting.refused(e, x -> x);
        }
    }

    public Revoked revoke(String clientId) {
        AccessSeam.Acting acting = institution(AuditAction.U, "app-revoke", clientId);
        TenantId tenant = acting.tenant();
        Optional<SmartApp> app = registry.find(clientId).filter(a -> a.tenant().equals(tenant));
        if (app.isEmpty() || !registry.revoke(clientId, tenant, acting.caller().subject())) {
            throw acting.refused(new NoSuchElementException("EHR-1179 no active app " + clientId
                    + " of this institution"), x -> x);
        }
        acting.done(e -> e.about(tenant.value(), null, null).withDetail("app " + clientId + " revoked"));
        return new Revoked(registry.find(clientId).orElseThrow(), disable(clientId));
    }

    private boolean disable(String clientId) {
        try {
            clients.disable(clientId);
            return true;
        } catch (UserDirectoryUnavailableException e) {
            LOG.log(Level.WARNING, "EHR-1184 app {0} revoked; its Keycloak client is not disabled yet: {1}",
                    new Object[] {clientId, e.getMessage()});
            return false;
        }
    }

    static SmartApp app(Registration r, TenantId tenant, String subject) {
        if (r == null) {
            throw new IllegalArgumentException("EHR-1185 a body with clientId, name, kind, redirectUris, scopes"
                    + " (and jwks for a backend service) is required");
        }
        SmartApp.Kind kind = SmartApp.Kind.of(r.kind());
        return new SmartApp(r.clientId(), tenant, r.name(), kind, r.redirectUris(), r.scopes(),
                kind == SmartApp.Kind.BACKEND ? publicJwks(r.jwks()) : null, subject, Instant.now(),
                Optional.empty());
    }

    /** A JWKS of public keys only: {"keys": [...]} each with a kty and no private part; normalized. */
    static String publicJwks(String jwks) {
        try {
            JsonNode set = JSON.readTree(jwks == null ? "" : jwks);
            JsonNode keys = set == null ? null : set.path("keys");
            boolean ok = keys != null && keys.isArray() && !keys.isEmpty();
            for (JsonNode k : ok ? keys : JSON.createArrayNode()) {
                ok &= k.path("kty").isTextual() && !k.has("d") && !k.has("p") && !k.has("q") && !k.has("k");
            }
            if (!ok) {
                throw new IllegalArgumentException("EHR-1174 a backend service is registered with a JWKS of its public"
                        + " keys: {\"keys\": [{\"kty\": ...}]}, without private parts");
            }
            return JSON.writeValueAsString(set);
        } catch (IOException e) {
            throw new IllegalArgumentException("EHR-1174 the JWKS is not JSON");
        }
    }

    private AccessSeam.Acting institution(AuditAction action, String interaction, String clientId) {
        return seam.acting(action, interaction, null, clientId,
                caller -> AccessSeam.Bound.tenant(policy.appAdminInstitution(caller)));
    }

    private void available() {
        if (!clients.configured()) {
            throw new UserDirectoryUnavailableException("EHR-0900 app registration is not configured"
                    + " (MERIDIAN_USER_ADMIN_SECRET)");
        }
    }
}
