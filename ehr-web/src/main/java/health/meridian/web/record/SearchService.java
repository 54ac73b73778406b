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
import health.meridian.web.security.Disclosure;
import health.meridian.domain.audit.AuditRecord;
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
            audit.disclosed(event("search-type", "(none)", "no scope"), List.of());
            return SearchResult.empty();
        }
        RecordQuery q = query.apply(scope.get());
        SearchResult result = index.search(q);
        disclosed("search-type", q, result);
        return result;
    }

    /**
     * A query confined to one person (a timeline page): the caller's scope narrowed by {@link Scope#forPerson},
     * audited as {@code interaction} with every custodian whose records the page carries; empty when the
     * caller has no scope at all.
     */
    @Transactional
    public Optional<PersonResult> searchPerson(String person, String interaction,
                                               Function<Scope, RecordQuery> query, Fallback fallback) {
        Optional<Scope> caller = scope();
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        Scope scope = caller.get().forPerson(person);
        RecordQuery q = query.apply(scope);
        PersonResult out;
        try {
            out = new PersonResult(index.search(q), false);
        } catch (IndexUnavailableException e) {
            out = new PersonResult(fallback.search(scope), true);
        }
        disclosed(interaction, q, out.result());
        return Optional.of(out);
    }

    /** A person's query result, and whether the system of record answered it because the mirror was down. */
    public record PersonResult(SearchResult result, boolean fromFallback) {
    }

    /** Answers a person's query from the system of record when the mirror is down. */
    @FunctionalInterface
    public interface Fallback {
        SearchResult search(Scope scope);
    }

    private void disclosed(String interaction, RecordQuery q, SearchResult result) {
        AuditRecord event = event(interaction, String.join(",", q.types()), q.criteria().toString())
                .withDetail(result.total() + " match(es)");
        audit.disclosed(event, result.hits().stream().map(Disclosure::of).toList());
    }

    private AuditRecord event(String interaction, String types, String criteria) {
        return AuditRecorder.event(caller.get(), AuditAction.R, interaction, types, null).withQuery(criteria);
    }
}
