package health.meridian.web.record;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs mirror queries within exactly what the access policy allows the caller: the scope is computed here, from
 * the token, for every query (also for later pages: a cursor never carries a scope).
 */
@ApplicationScoped
public class SearchService {

    @Inject
    RecordIndex index;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller caller;

    /** The caller's scope, or empty when they may see nothing (the query is then not sent at all). */
    public Optional<Scope> scope() {
        List<TenantId> tenants = policy.readableTenants(caller.get());
        return tenants.isEmpty() ? Optional.empty() : Optional.of(Scope.tenants(tenants));
    }

    public SearchResult search(Function<Scope, RecordQuery> query) throws IndexUnavailableException {
        Optional<Scope> scope = scope();
        if (scope.isEmpty()) {
            return SearchResult.empty();
        }
        return index.search(query.apply(scope.get()));
    }
}
