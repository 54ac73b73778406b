package health.meridian.domain.apps;

import health.meridian.domain.tenant.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A SMART app an institution's administrator registered (issue #23, ADR 0031): the OAuth client (its id is the
 * token's {@code azp}), its name as shown in the audit trail, its kind, where it may be redirected to, the scopes it
 * may ask for and, for a backend service, the public keys its client assertions are signed with. Revoked for good:
 * a revoked app's tokens stop working and it gets no new ones.
 */
public record SmartApp(String clientId, TenantId tenant, String name, Kind kind, List<String> redirectUris,
                       List<String> scopes, String jwks, String registeredBy, Instant registeredAt,
                       Optional<Instant> revokedAt) {

    /** How the app authenticates: a browser/mobile app without a secret, a server with one, or a backend service. */
    public enum Kind {
        PUBLIC, CONFIDENTIAL, BACKEND;

        public static Kind of(String text) {
            try {
                return Kind.valueOf(String.valueOf(text).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("EHR-1172 kind is public, confidential or backend: " + text);
            }
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,99}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");
    /** The scopes a backend service may ask for: {@code system/} resource scopes only. */
    private static final Set<String> USER_FACING = Set.of("openid", "fhirUser", "profile", "launch",
            "launch/patient", "launch/encounter", "offline_access", "online_access");

    public SmartApp {
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches() || isFirstParty(clientId)) {
            throw new IllegalArgumentException("EHR-1171 a client id has 3 to 100 letters, digits, '.', '_' or '-'"
                    + " and does not start with meridian-: " + clientId);
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("EHR-1173 an app has a name of 1 to 200 characters");
        }
        redirectUris = List.copyOf(redirectUris == null ? List.of() : redirectUris);
        scopes = List.copyOf(scopes == null ? List.of() : scopes);
        revokedAt = revokedAt == null ? Optional.empty() : revokedAt;
        redirectUris.forEach(SmartApp::requireRedirect);
        scopes.forEach(s -> requireScope(kind, s));
        if (kind == Kind.BACKEND && (jwks == null || jwks.isBlank())) {
            throw new IllegalArgumentException("EHR-1174 a backend service is registered with its public keys (JWKS)");
        }
        if (kind != Kind.BACKEND && redirectUris.isEmpty()) {
            throw new IllegalArgumentException("EHR-1175 a " + kind.text() + " app needs at least one redirect URI");
        }
    }

    /**
     * Meridian's own clients — the web app {@code meridian-web}, the CLI {@code meridian-cli*}, and any client the
     * operator defines in the realm under the reserved prefix {@code meridian-} (never registrable): implicitly
     * registered, never revoked (ADR 0031).
     */
    public static boolean isFirstParty(String clientId) {
        return clientId != null && clientId.startsWith("meridian-");
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    private static void requireRedirect(String uri) {
        try {
            URI u = new URI(uri);
            boolean local = "http".equals(u.getScheme()) && ("localhost".equals(u.getHost())
                    || "127.0.0.1".equals(u.getHost()));
            if (!("https".equals(u.getScheme()) || local) || u.getHost() == null || u.getFragment() != null
                    || uri.contains("*")) {
                throw new IllegalArgumentException("EHR-1176 a redirect URI is an absolute https URL (http only on"
                        + " localhost) without wildcard or fragment: " + uri);
            }
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("EHR-1176 not a redirect URI: " + uri);
        }
    }

    private static void requireScope(Kind kind, String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("EHR-1177 not a scope: " + scope);
        }
        if (kind == Kind.BACKEND && !scope.startsWith("system/")) {
            throw new IllegalArgumentException("EHR-1177 a backend service asks for system/ scopes only: " + scope);
        }
        if (kind != Kind.BACKEND && (scope.startsWith("system/") || !USER_FACING.contains(scope)
                && !scope.startsWith("patient/") && !scope.startsWith("user/"))) {
            throw new IllegalArgumentException("EHR-1177 a " + kind.text() + " app asks for patient/, user/ or"
                    + " launch/identity scopes, not: " + scope);
        }
    }
}
