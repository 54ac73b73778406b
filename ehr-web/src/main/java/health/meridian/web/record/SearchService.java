package health.meridian.web.record;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.Institution;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs mirror queries within exactly what the access policy allows the caller: the scope is computed here, from
 * the token and the caller's care teams, break-the-glass sessions and grants, for every query (also for later
 * pages: a cursor never carries a scope). Every search is audited.
 */
@ApplicationScoped
public class SearchService {

    @Inject
    RecordIndex index;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller caller;
    @Inject
    AccessContext access;
    @Inject
    TenantService tenants;
    @Inject
    AuditRecorder audit;

    /** The caller's scope ({@link AccessPolicy#searchScope}), or empty when they may see nothing. */
    @Transactional
    public Optional<Scope> scope() {
        Caller c = caller.get();
        AccessFacts facts = access.bindForRead(c);
        return policy.searchScope(c, facts, tenants.all().stream().map(Institution::id).toList());
    }

    /** One transaction: the caller's relationships are read and the search is audited in it. */
    @Transactional
    public SearchResult search(Function<Scope, RecordQuery> query) throws IndexUnavailableException {
        Optional<Scope> scope = scope();
        if (scope.isEmpty()) {
            audited("(none)", "no scope", 0);
            return SearchResult.empty();
        }
        RecordQuery q = query.apply(scope.get());
        SearchResult result = index.search(q);
        audited(String.join(",", q.types()), q.criteria().toString(), result.total());
        return result;
    }

    private void audited(String types, String criteria, long total) {
        audit.recordAlone(AuditRecorder.event(caller.get(), AuditAction.R, "search-type", types, null)
                .withQuery(criteria).withDetail(total + " match(es)"));
    }
}
