package health.meridian.web.it.access;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.Caller;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ScopeWorld} in PostgreSQL: its institutions, persons, grants and records inserted as the schema owner
 * (row-level security is forced for the owner too, so it binds the institution or person of each row it writes), and
 * what row-level security shows the application role ({@code meridian_app}) when the transaction is bound for a
 * caller the way {@code AccessContext} binds it.
 */
final class RecordRows {

    private RecordRows() {
    }

    static Connection owner() throws SQLException {
        return DriverManager.getConnection(System.getProperty("meridian.test.db.url"), "meridian_owner",
                "meridian_owner");
    }

    static Connection app() throws SQLException {
        return DriverManager.getConnection(System.getProperty("meridian.test.db.url"), "meridian_app",
                "meridian_app");
    }

    static void insert(ScopeWorld w) throws SQLException {
        try (Connection c = owner()) {
            for (TenantId t : w.tenants) {
                update(c, "INSERT INTO tenant (id, name, country, region) VALUES (?, 'Contract test', 'NL', 'eu-west')",
                        t.value());
            }
            for (String p : w.persons) {
                update(c, "INSERT INTO person (id) VALUES (?)", p);
            }
            for (AccessGrant g : w.grants) {
                bind(c, "app.person_id", g.personId());
                grant(c, g);
            }
            for (ScopeWorld.Rec r : w.records) {
                bind(c, "app.tenant_id", r.custodian().value());
                record(c, r);
            }
        }
    }

    private static void grant(Connection c, AccessGrant g) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO access_grant (id, person_id, grantee_practitioner,"
                + " grantee_tenant, scope, categories, purpose, starts_at, ends_at, revoked_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, g.id());
            s.setString(2, g.personId());
            s.setString(3, g.grantee().practitionerId().orElse(null));
            s.setString(4, g.grantee().institution().map(TenantId::value).orElse(null));
            s.setString(5, g.scope().kind());
            s.setString(6, String.join(",", g.scope().categories().stream().sorted().toList()));
            s.setString(7, g.purpose());
            s.setTimestamp(8, Timestamp.from(g.startsAt()));
            s.setTimestamp(9, g.endsAt().map(Timestamp::from).orElse(null));
            s.setTimestamp(10, g.revokedAt().map(Timestamp::from).orElse(null));
            s.executeUpdate();
        }
    }

    private static void record(Connection c, ScopeWorld.Rec r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO resource_version (tenant_id, resource_type,"
                + " resource_id, version, person_id, sensitivity, content)"
                + " VALUES (?, ?, ?, 1, ?, ?::jsonb, ?::jsonb)")) {
            s.setString(1, r.custodian().value());
            s.setString(2, r.type());
            s.setString(3, r.id());
            s.setString(4, r.person());
            s.setString(5, ScopeWorld.jsonArray(r.labels()));
            s.setString(6, r.json());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO resource_head (tenant_id, resource_type,"
                + " resource_id, current_version, person_id) VALUES (?, ?, ?, 1, ?)")) {
            s.setString(1, r.custodian().value());
            s.setString(2, r.type());
            s.setString(3, r.id());
            s.setString(4, r.person());
            s.executeUpdate();
        }
    }

    /**
     * Deletes the world's records (the owner may; the app role may not). Grants, persons and institutions stay: no
     * role may delete a grant (access_grant has no DELETE policy), and they hold the run's unique prefix.
     */
    static void deleteRecords(ScopeWorld w) throws SQLException {
        try (Connection c = owner()) {
            for (TenantId t : w.tenants) {
                bind(c, "app.tenant_id", t.value());
                update(c, "DELETE FROM resource_head WHERE tenant_id = ?", t.value());
                update(c, "DELETE FROM resource_version WHERE tenant_id = ?", t.value());
            }
        }
    }

    /**
     * Keys ({@code tenant/type/id}) of the world's rows of {@code table} that row-level security shows
     * {@code meridian_app} in a transaction bound for {@code caller}: a patient binds only their person; everyone
     * else their institution and practitioner, when the token carries them (as {@code AccessContext.bind}).
     */
    static Set<String> visible(Connection app, ScopeWorld w, Caller caller, String table) throws SQLException {
        return select(app, w, caller, "SELECT v.tenant_id || '/' || v.resource_type || '/' || v.resource_id FROM "
                + table + " v WHERE v.resource_id LIKE ?", List.of());
    }

    /**
     * What a type-history read shows ({@code JpaRecordRepository.typeHistory}): the record versions that row-level
     * security shows the bound caller AND that the scope's SQL predicate ({@code ScopeSql}, the relational twin of
     * the mirror's query translation) admits.
     */
    static Set<String> visibleInHistory(Connection app, ScopeWorld w, Caller caller, RecordQuery.Scope scope)
            throws SQLException {
        return scoped(app, w, caller, scope, "resource_version");
    }

    /**
     * The world's records in a temporary table of the session (no row-level security there), so that the scope's
     * SQL predicate can be judged on its own: behind RLS, RLS's own grant clause would mask its mistakes.
     */
    static void copyWithoutRowLevelSecurity(Connection app, ScopeWorld w) throws SQLException {
        app.setAutoCommit(true);
        try (PreparedStatement s = app.prepareStatement("CREATE TEMP TABLE contract_version (tenant_id text,"
                + " resource_type text, resource_id text, version integer, person_id text, deleted boolean,"
                + " sensitivity jsonb)")) {
            s.execute();
        }
        for (ScopeWorld.Rec r : w.records) {
            try (PreparedStatement s = app.prepareStatement("INSERT INTO contract_version VALUES (?, ?, ?, 1, ?,"
                    + " false, ?::jsonb)")) {
                s.setString(1, r.custodian().value());
                s.setString(2, r.type());
                s.setString(3, r.id());
                s.setString(4, r.person());
                s.setString(5, ScopeWorld.jsonArray(r.labels()));
                s.executeUpdate();
            }
        }
    }

    /** The records of the temporary copy that the scope's SQL predicate ({@code ScopeSql}) admits. */
    static Set<String> admittedByScopeSql(Connection app, ScopeWorld w, Caller caller, RecordQuery.Scope scope)
            throws SQLException {
        return scoped(app, w, caller, scope, "contract_version");
    }

    private static Set<String> scoped(Connection app, ScopeWorld w, Caller caller, RecordQuery.Scope scope,
                                      String table) throws SQLException {
        List<Object> params = new ArrayList<>();
        String predicate = scopeSql(scope, params);
        List<Object> ordered = new ArrayList<>();
        Matcher m = Pattern.compile("\\?(\\d+)").matcher(predicate);
        StringBuilder sql = new StringBuilder();
        while (m.find()) { // JPA's numbered ?n become JDBC's positional ?
            ordered.add(params.get(Integer.parseInt(m.group(1)) - 1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return select(app, w, caller, "SELECT v.tenant_id || '/' || v.resource_type || '/' || v.resource_id FROM "
                + table + " v WHERE v.resource_id LIKE ? AND " + sql, ordered);
    }

    /** {@code ScopeSql.predicate}: package-private in ehr-domain's persistence adapter, so called reflectively. */
    private static String scopeSql(RecordQuery.Scope scope, List<Object> params) {
        try {
            Method predicate = Class.forName("health.meridian.infrastructure.persistence.ScopeSql")
                    .getDeclaredMethod("predicate", RecordQuery.Scope.class, List.class);
            predicate.setAccessible(true);
            return (String) predicate.invoke(null, scope, params);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ScopeSql.predicate(Scope, List) moved or changed", e);
        }
    }

    private static Set<String> select(Connection app, ScopeWorld w, Caller caller, String sql, List<Object> params)
            throws SQLException {
        app.setAutoCommit(false);
        try {
            if (caller.hasRole("patient")) {
                caller.personId().ifPresent(p -> bindLocal(app, "app.person_id", p));
            } else {
                caller.tenant().ifPresent(t -> bindLocal(app, "app.tenant_id", t.value()));
                caller.practitionerId().ifPresent(p -> bindLocal(app, "app.practitioner_id", p));
            }
            Set<String> keys = new HashSet<>();
            try (PreparedStatement s = app.prepareStatement(sql)) {
                s.setString(1, w.prefix + "-r%");
                for (int i = 0; i < params.size(); i++) {
                    s.setObject(i + 2, params.get(i));
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return keys;
        } finally {
            app.rollback();
        }
    }

    private static void bindLocal(Connection c, String name, String value) {
        try (PreparedStatement s = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            s.setString(1, name);
            s.setString(2, value);
            s.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT set_config(?, ?, false)")) {
            s.setString(1, name);
            s.setString(2, value);
            s.executeQuery().close();
        }
    }

    private static void update(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            s.executeUpdate();
        }
    }
}
