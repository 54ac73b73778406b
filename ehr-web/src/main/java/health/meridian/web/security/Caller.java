package health.meridian.web.security;

import health.meridian.domain.tenant.TenantId;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as stated by a validated token: subject, roles, the institution (tenant) they act for, and the
 * SMART scopes that narrow what the access policy allows them (ADR 0025).
 * The tenant is never taken from anywhere else.
 */
public record Caller(String subject, String username, Set<String> roles, Optional<TenantId> tenant,
                     Optional<String> practitionerId, Optional<String> personId, String displayName,
                     SmartScopes scopes, Optional<App> app) {

    /** The role of a registered backend service's token (SMART Backend Services, ADR 0031); no user's role. */
    public static final String BACKEND_SERVICE = "backend-service";

    /**
     * The registered third-party app (ADR 0031) the token was issued to ({@code azp}), named as the audit trail
     * shows it; absent for Meridian's own clients.
     */
    public record App(String clientId, String name) {
    }

    public Caller {
        displayName = displayName == null ? username : displayName;
        scopes = scopes == null ? SmartScopes.NONE : scopes;
        if (roles != null && roles.contains(BACKEND_SERVICE) && !scopes.narrows()) {
            scopes = SmartScopes.NOTHING; // a backend service is always narrowed: no scope, nothing (ADR 0031)
        }
        app = app == null ? Optional.empty() : app;
    }

    /** A caller through one of Meridian's own clients (no registered app). */
    public Caller(String subject, String username, Set<String> roles, Optional<TenantId> tenant,
                  Optional<String> practitionerId, Optional<String> personId, String displayName,
                  SmartScopes scopes) {
        this(subject, username, roles, tenant, practitionerId, personId, displayName, scopes, Optional.empty());
    }

    /** A caller whose token carries no SMART resource scope (not narrowed: ADR 0025), shown by their name. */
    public Caller(String subject, String username, Set<String> roles, Optional<TenantId> tenant,
                  Optional<String> practitionerId, Optional<String> personId, String displayName) {
        this(subject, username, roles, tenant, practitionerId, personId, displayName, SmartScopes.NONE);
    }

    /** A caller shown by their username, narrowed by {@code scopes}. */
    public Caller(String subject, String username, Set<String> roles, Optional<TenantId> tenant,
                  Optional<String> practitionerId, Optional<String> personId, SmartScopes scopes) {
        this(subject, username, roles, tenant, practitionerId, personId, username, scopes);
    }

    /** A caller whose token names no display name and carries no SMART resource scope. */
    public Caller(String subject, String username, Set<String> roles, Optional<TenantId> tenant,
                  Optional<String> practitionerId, Optional<String> personId) {
        this(subject, username, roles, tenant, practitionerId, personId, username, SmartScopes.NONE);
    }

    /** A registered backend service (client credentials), acting for its institution, on no user's behalf. */
    public boolean isBackendService() {
        return roles.contains(BACKEND_SERVICE);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The tenant a clinical write or tenant-scoped read acts for; absent tenant is a refusal, never a default. */
    public TenantId requireTenant() {
        return tenant.orElseThrow(() -> new AccessDeniedException("EHR-0301 the token carries no institution"));
    }
}
