package health.meridian.domain.apps;

import health.meridian.domain.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of SMART apps (V26): the source of truth for which third-party clients may call Meridian. */
public interface SmartAppRegistry {

    /** Registers the app (the transaction must be bound to its institution); EHR-1178 when the client id is taken. */
    void register(SmartApp app);

    /** Marks the app revoked by {@code subject} (bound to its institution); false when it was not active there. */
    boolean revoke(String clientId, TenantId tenant, String subject);

    Optional<SmartApp> find(String clientId);

    /** The apps an institution registered, newest first. */
    List<SmartApp> of(TenantId tenant);

    /** The registry's change counter (bumped in the transaction of every change). */
    long version();

    /** Every app by client id, with the counter it was read at. */
    Snapshot snapshot();

    record Snapshot(long version, Map<String, SmartApp> apps) {
    }
}
