package health.meridian.web.security;

import health.meridian.domain.tenant.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may find in the search mirror, as a description the query builder can turn into a filter: a
 * document matches if it matches any {@link Clause}; no clause means nothing. It is the search-side form of
 * {@link AccessPolicy#decide} (same rules, evaluated at query time, so a revoked grant stops matching at once).
 */
public record SearchFilter(List<Clause> clauses) {

    public SearchFilter {
        clauses = List.copyOf(clauses);
    }

    public boolean isEmpty() {
        return clauses.isEmpty();
    }

    /**
     * One way to see documents: held by {@code custodian} (any custodian if empty), about one of {@code persons}
     * (or about no person at all, if {@code aboutNoPerson}), whose sensitive categories are all in
     * {@code sensitiveAllowed} (any, if {@code anySensitive}).
     */
    public record Clause(Optional<TenantId> custodian, Set<String> persons, boolean aboutNoPerson,
                         boolean anySensitive, Set<String> sensitiveAllowed) {

        public Clause {
            persons = Set.copyOf(persons);
            sensitiveAllowed = Set.copyOf(sensitiveAllowed);
        }
    }
}
