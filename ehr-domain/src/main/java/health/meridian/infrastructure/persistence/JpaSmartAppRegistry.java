package health.meridian.infrastructure.persistence;

import health.meridian.domain.apps.SmartApp;
import health.meridian.domain.apps.SmartAppRegistry;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SmartAppRegistry} in {@code smart_app} (V26): read by every request's check, written by an institution's
 * administrator under their institution's binding (RLS). Redirect URIs and scopes contain no space, so they travel
 * space-separated.
 */
@ApplicationScoped
public class JpaSmartAppRegistry implements SmartAppRegistry {

    private static final String COLUMNS = "SELECT client_id, tenant_id, name, kind, array_to_string(redirect_uris, ' '),"
            + " array_to_string(scopes, ' '), CAST(jwks AS text), registered_by, registered_at, revoked_at FROM smart_app";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void register(SmartApp app) {
        int inserted = em.createNativeQuery("INSERT INTO smart_app (client_id, tenant_id, name, kind, redirect_uris,"
                        + " scopes, jwks, registered_by) VALUES (?1, ?2, ?3, ?4, CAST(?5 AS text[]), CAST(?6 AS text[]),"
                        + " CAST(?7 AS jsonb), ?8) ON CONFLICT (client_id) DO NOTHING")
                .setParameter(1, app.clientId()).setParameter(2, app.tenant().value()).setParameter(3, app.name())
                .setParameter(4, app.kind().text()).setParameter(5, JpaCareTeamDirectory.textArray(app.redirectUris()))
                .setParameter(6, JpaCareTeamDirectory.textArray(app.scopes())).setParameter(7, app.jwks())
                .setParameter(8, app.registeredBy()).executeUpdate();
        if (inserted == 0) {
            throw new IllegalStateException("EHR-1178 the client id " + app.clientId() + " is taken");
        }
    }

    @Override
    public boolean revoke(String clientId, TenantId tenant, String subject) {
        return em.createNativeQuery("UPDATE smart_app SET revoked_by = ?1, revoked_at = clock_timestamp()"
                        + " WHERE client_id = ?2 AND tenant_id = ?3 AND revoked_at IS NULL")
                .setParameter(1, subject).setParameter(2, clientId).setParameter(3, tenant.value())
                .executeUpdate() == 1;
    }

    @Override
    public Optional<SmartApp> find(String clientId) {
        return rows(em.createNativeQuery(COLUMNS + " WHERE client_id = ?1").setParameter(1, clientId)
                .getResultList()).stream().findFirst();
    }

    @Override
    public List<SmartApp> of(TenantId tenant) {
        return rows(em.createNativeQuery(COLUMNS + " WHERE tenant_id = ?1 ORDER BY registered_at DESC, client_id")
                .setParameter(1, tenant.value()).getResultList());
    }

    @Override
    public long version() {
        return ((Number) em.createNativeQuery("SELECT version FROM smart_app_version WHERE id = 1")
                .getSingleResult()).longValue();
    }

    @Override
    public Snapshot snapshot() {
        long version = version();
        Map<String, SmartApp> apps = new LinkedHashMap<>();
        rows(em.createNativeQuery(COLUMNS).getResultList()).forEach(a -> apps.put(a.clientId(), a));
        return new Snapshot(version, Map.copyOf(apps));
    }

    private static List<SmartApp> rows(List<?> rows) {
        return rows.stream().map(r -> (Object[]) r).map(c -> new SmartApp((String) c[0], TenantId.of((String) c[1]),
                (String) c[2], SmartApp.Kind.of((String) c[3]), words(c[4]), words(c[5]), (String) c[6],
                (String) c[7], SqlValues.instant(c[8]), Optional.ofNullable(c[9]).map(SqlValues::instant))).toList();
    }

    private static List<String> words(Object text) {
        return text == null || text.toString().isBlank() ? List.of() : Arrays.asList(text.toString().split(" "));
    }
}
