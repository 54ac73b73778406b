package health.meridian.web.apps;

import health.meridian.domain.apps.SmartApp;
import health.meridian.domain.apps.SmartAppRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.Optional;

/**
 * Is a token's client still allowed to call Meridian (ADR 0031)? Asked for every request with a validated token
 * ({@code BearerTokenFilter}), so that a revoked app's tokens stop working at once although JWTs are stateless.
 * Meridian's own clients ({@link SmartApp#isFirstParty}) are implicitly registered and never looked up. Any other
 * client must be in the registry, not revoked, and its token must name the institution the app is registered to.
 *
 * <p>The registry is cached per instance with exact invalidation: each check reads the registry's change counter
 * (bumped by V26's trigger in the transaction of every registration and revocation) and reloads when it moved —
 * never trusted by time alone, so a revocation committed on any instance is seen by the next request on every one.
 */
@ApplicationScoped
public class RegisteredApps {

    /** What the registry says about a token's client. */
    public record Verdict(boolean admitted, Optional<SmartApp> app, String refusal) {
        static Verdict firstParty() {
            return new Verdict(true, Optional.empty(), null);
        }

        static Verdict refused(String why) {
            return new Verdict(false, Optional.empty(), why);
        }
    }

    @Inject
    SmartAppRegistry registry;

    private volatile SmartAppRegistry.Snapshot cached = new SmartAppRegistry.Snapshot(-1, Map.of());

    @Inject
    RegisteredApps self;

    /**
     * The verdict on a token issued to {@code clientId} (its {@code azp}) carrying institution claim {@code tenant}.
     * Meridian's own clients are answered without a transaction (nothing to read); any other client is judged
     * against the registry in one ({@link #registered}).
     */
    public Verdict check(String clientId, String tenant) {
        if (clientId == null || clientId.isBlank()) {
            return Verdict.refused("EHR-1170 the token names no client (azp)");
        }
        if (SmartApp.isFirstParty(clientId)) {
            return Verdict.firstParty();
        }
        return self.registered(clientId, tenant);
    }

    /** The verdict on a third-party client, read from the registry (its change counter first) in a transaction. */
    @Transactional
    public Verdict registered(String clientId, String tenant) {
        return judge(current().apps().get(clientId), tenant);
    }

    /** The verdict for an app as registered (null: not registered). Pure. */
    static Verdict judge(SmartApp app, String tenant) {
        if (app == null) {
            return Verdict.refused("EHR-1170 the app is not registered");
        }
        if (app.revoked()) {
            return Verdict.refused("EHR-1170 the app " + app.clientId() + " was revoked");
        }
        if (app.kind() == SmartApp.Kind.BACKEND && !app.tenant().value().equals(tenant)) {
            return Verdict.refused("EHR-1170 the backend service's token names another institution than its"
                    + " registration");
        }
        return new Verdict(true, Optional.of(app), null);
    }

    private SmartAppRegistry.Snapshot current() {
        SmartAppRegistry.Snapshot seen = cached;
        if (registry.version() != seen.version()) {
            seen = registry.snapshot();
            cached = seen;
        }
        return seen;
    }
}
