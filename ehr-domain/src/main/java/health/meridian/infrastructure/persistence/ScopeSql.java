package health.meridian.infrastructure.persistence;

import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * A search scope ({@link RecordQuery.Scope}, decided by the access policy) as a SQL predicate over
 * {@code resource_version v}: the relational twin of the mirror's {@code QueryTranslator.scoped}, clause for clause,
 * so a history read from PostgreSQL admits exactly what a search of the same caller admits. Parameters are
 * positional ({@code ?n}) and appended to the list given.
 *
 * <p>Labels are those of the version itself; a deletion marker carries none, so it is judged by the labels of the
 * version it deletes ({@link #LABELS}), and is left out when that version is not visible at all.
 */
final class ScopeSql {

    /** The security labels a version is judged by (NULL for a marker whose deleted version is not visible). */
    static final String LABELS = "(CASE WHEN v.deleted THEN (SELECT p.sensitivity FROM resource_version p"
            + " WHERE p.tenant_id = v.tenant_id AND p.resource_type = v.resource_type"
            + " AND p.resource_id = v.resource_id AND p.version = v.version - 1) ELSE v.sensitivity END)";

    private final List<Object> params;

    private ScopeSql(List<Object> params) {
        this.params = params;
    }

    /** The predicate; its parameters are appended to {@code params}. */
    static String predicate(RecordQuery.Scope scope, List<Object> params) {
        return new ScopeSql(params).build(scope);
    }

    private String build(RecordQuery.Scope scope) {
        List<String> any = new ArrayList<>();
        any.add(own(scope));
        scope.shared().forEach(s -> any.add(shared(s, scope.tenants())));
        return "(" + LABELS + " IS NOT NULL AND (" + String.join(" OR ", any) + "))";
    }

    private String own(RecordQuery.Scope scope) {
        StringBuilder sql = new StringBuilder("(v.tenant_id IN ").append(list(tenants(scope.tenants())));
        if (!scope.persons().isEmpty()) {
            sql.append(" AND (v.person_id IN ").append(list(scope.persons()));
            sql.append(scope.includeUnlinked() ? " OR v.person_id IS NULL)" : ")");
        }
        if (!scope.withheldLabels().isEmpty()) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(").append(LABELS)
                    .append(") AS l(label) WHERE l.label IN ").append(list(scope.withheldLabels())).append(')');
        }
        return sql.append(')').toString();
    }

    /**
     * A person shared by a grant: their versions held by other institutions than the caller's own, minus those with a
     * label whose code (the part after the last '|', as the access policy's {@code SensitiveCategory.of} reads it)
     * is withheld.
     */
    private String shared(RecordQuery.Shared s, List<TenantId> own) {
        StringBuilder sql = new StringBuilder("(v.person_id = ").append(param(s.person()));
        sql.append(" AND v.tenant_id NOT IN ").append(list(tenants(own)));
        if (!s.withheldCodes().isEmpty()) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(").append(LABELS)
                    .append(") AS l(label) WHERE substring(l.label from '[^|]*$') IN ")
                    .append(list(s.withheldCodes())).append(')');
        }
        return sql.append(')').toString();
    }

    private static List<String> tenants(List<TenantId> tenants) {
        return tenants.stream().map(TenantId::value).toList();
    }

    private String list(Collection<String> values) {
        StringJoiner in = new StringJoiner(", ", "(", ")");
        values.forEach(v -> in.add(param(v)));
        return in.toString();
    }

    private String param(Object value) {
        params.add(value);
        return "?" + params.size();
    }
}
