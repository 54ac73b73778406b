package health.meridian.web.record;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.TenantId;
import health.meridian.domain.audit.AuditAction;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Searches the mirror within exactly the institutions the access policy allows for the caller. */
@ApplicationScoped
public class SearchService {

    @Inject
    RecordIndex index;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller caller;
    @Inject
    AuditRecorder audit;

    public SearchResult search(String type, List<RecordQuery.Criterion> criteria, int count)
            throws IndexUnavailableException {
        List<TenantId> tenants = policy.readableTenants(caller.get());
        SearchResult result = tenants.isEmpty() ? new SearchResult(0, List.of())
                : index.search(new RecordQuery(tenants, type, criteria, count));
        audit.recordAlone(AuditRecorder.event(caller.get(), AuditAction.R, "search-type", type, null)
                .withQuery(criteria.toString()).withDetail(result.total() + " match(es)"));
        return result;
    }
}
