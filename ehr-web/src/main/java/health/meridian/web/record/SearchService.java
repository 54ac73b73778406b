package health.meridian.web.record;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.SensitiveCategory;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.RecordQuery.Shared;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /** The caller's scope, or empty when they may see nothing (the query is then not sent at all). */
    @Transactional
    public Optional<Scope> scope() {
        Caller c = caller.get();
        AccessFacts facts = access.bindForRead(c);
        if (c.hasRole("patient")) {
            List<TenantId> all = tenants.all().stream().map(Institution::id).toList();
            return c.personId().filter(p -> !all.isEmpty()).map(p -> new Scope(all, List.of(p), List.of()));
        }
        List<TenantId> own = policy.readableTenants(c);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Set<String> persons = new LinkedHashSet<>(facts.careTeamPersons());
        persons.addAll(facts.breakGlassPersons());
        if (persons.isEmpty()) {
            persons.add(Scope.NOBODY); // never empty: an empty person list would admit the whole institution
        }
        return Optional.of(new Scope(own, List.copyOf(persons), List.of(), true, shared(facts)));
    }

    /** Active grants to the caller or their institution become shared persons (minus withheld categories). */
    private static List<Shared> shared(AccessFacts facts) {
        List<Shared> out = new ArrayList<>();
        for (AccessGrant g : facts.grants()) {
            if (!g.isActiveAt(facts.now())) {
                continue;
            }
            GrantScope s = g.scope();
            List<String> withheld = GrantScope.ALL.equals(s.kind()) ? List.of()
                    : SensitiveCategory.CODES.stream().filter(code -> !s.categories().contains(code)).sorted().toList();
            out.add(new Shared(g.personId(), withheld));
        }
        return out;
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
