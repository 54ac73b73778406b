package health.meridian.domain.search;

import health.meridian.domain.tenant.TenantId;
import java.util.List;

/**
 * A search over the mirror. The tenant scope is mandatory: a query cannot be built without it.
 *
 * @param tenants   the custodians whose records the caller may see (never empty)
 * @param type      the resource type
 * @param criteria  field criteria (ANDed)
 * @param count     page size
 */
public record RecordQuery(List<TenantId> tenants, String type, List<Criterion> criteria, int count) {

    public RecordQuery {
        if (tenants == null || tenants.isEmpty()) {
            throw new IllegalArgumentException("EHR-0201 a search always has a tenant scope");
        }
        tenants = List.copyOf(tenants);
        criteria = List.copyOf(criteria);
        if (count < 0 || count > 1000) {
            throw new IllegalArgumentException("EHR-0202 _count must be between 0 and 1000");
        }
    }

    /** A criterion on one indexed field: exact keyword match, or prefix match on a folded keyword. */
    public record Criterion(String field, String value, Match match) {
    }

    public enum Match { EXACT, PREFIX }
}
