package health.meridian.web.record;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.Institution;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessSeam.Reading;
import health.meridian.web.security.Disclosure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs mirror queries within exactly what the access policy allows the caller: each query opens a reading at the
 * access seam, whose scope ({@code AccessPolicy.searchScope}) is computed from the token and the caller's care teams,
 * break-the-glass sessions and grants, for every query (also for later pages: a cursor never carries a scope).
 * Every search is audited with each custodian and person its hits carry.
 */
@ApplicationScoped
public class SearchService {

    @Inject
    RecordIndex index;
    @Inject
    TenantService tenants;
    @Inject
    AccessSeam seam;
    @Inject
    health.meridian.domain.record.RecordRepository records;

    /** The scope of a reading opened by the caller's use case (e.g. a type history). */
    public Optional<Scope> scopeOf(Reading reading) {
        return reading.scope(tenants.all().stream().map(Institution::id).toList());
    }

    /** One transaction: the caller's relationships are read and the search is audited in it. */
    @Transactional
    public SearchResult search(Function<Scope, RecordQuery> query) throws IndexUnavailableException {
        return search(query, null);
    }

    /**
     * As {@link #search(Function)}, for a query whose criteria confine it to the records of one Patient
     * ({@code patientId}, e.g. {@code Observation?patient=Patient/x}; null: none). When that Patient is one person
     * the caller can see, the scope is narrowed to that person ({@code Reading.scopeFor}: one lookup instead of the
     * list of every person in the caller's care, ADR 0020); the records the criteria match are the same. Otherwise
     * the search runs under the caller's whole scope.
     */
    @Transactional
    public SearchResult search(Function<Scope, RecordQuery> query, String patientId)
            throws IndexUnavailableException {
        Reading reading = seam.reading("search-type", null, null);
        List<health.meridian.domain.tenant.TenantId> all = tenants.all().stream().map(Institution::id).toList();
        java.util.Set<String> persons = patientId == null ? java.util.Set.of()
                : records.personsOfPatientId(all, patientId);
        Optional<Scope> scope = persons.size() == 1 && persons.iterator().next() != null
                ? reading.scopeFor(persons.iterator().next(), all) : reading.scope(all);
        if (scope.isEmpty()) {
            reading.describedAs(e -> e.withQuery("no scope").withDetail("0 match(es)")).disclosed(List.of());
            return SearchResult.empty();
        }
        Optional<RecordQuery> narrowed = reading.narrowed(query.apply(scope.get()));
        if (narrowed.isEmpty()) {
            reading.describedAs(e -> e.withQuery("no scope").withDetail("0 match(es)")).disclosed(List.of());
            return SearchResult.empty();
        }
        RecordQuery q = narrowed.get();
        SearchResult result = reading.confirmed(index.search(q));
        disclosed(reading, q, result);
        return result;
    }

    /**
     * A query confined to one person (a timeline page): the caller's scope narrowed to the person
     * ({@code Reading.scopeFor}, which does not list the caller's persons in care),
     * audited as {@code interaction} with every custodian whose records the page carries; empty when the
     * caller has no scope at all.
     */
    @Transactional
    public Optional<PersonResult> searchPerson(String person, String interaction,
                                               Function<Scope, RecordQuery> query, Fallback fallback) {
        Reading reading = seam.reading(interaction, null, null).describedAs(e -> e.about(null, person, null));
        Optional<Scope> personScope = reading.scopeFor(person, tenants.all().stream().map(Institution::id).toList());
        if (personScope.isEmpty()) {
            return Optional.empty();
        }
        Scope scope = personScope.get();
        Optional<RecordQuery> narrowed = reading.narrowed(query.apply(scope));
        if (narrowed.isEmpty()) {
            reading.describedAs(e -> e.withQuery("no scope").withDetail("0 match(es)")).disclosed(List.of());
            return Optional.of(new PersonResult(SearchResult.empty(), false));
        }
        RecordQuery q = narrowed.get();
        PersonResult out;
        try {
            out = new PersonResult(index.search(q), false);
        } catch (IndexUnavailableException e) {
            out = new PersonResult(reading.narrowed(fallback.search(scope)), true);
        }
        disclosed(reading, q, out.result());
        return Optional.of(out);
    }

    /**
     * Every hit of a query run under a reading the use case opened (a bulk export's {@code _typeFilter}, for the
     * export's caller): the reading's scope for {@code person} ({@code Reading.scopeFor}; null: the caller's whole
     * scope), narrowed to the SMART scopes and confirmed by the care relationships, as every FHIR search is; page
     * after page, at most {@code limit} hits. Not audited here: the use case discloses what it answers.
     */
    public List<SearchResult.Hit> allHits(Reading reading, String person, Function<Scope, RecordQuery> query,
                                          int limit) throws IndexUnavailableException {
        List<health.meridian.domain.tenant.TenantId> all = tenants.all().stream().map(Institution::id).toList();
        Optional<Scope> scope = person == null ? reading.scope(all) : reading.scopeFor(person, all);
        Optional<RecordQuery> narrowed = scope.flatMap(s -> reading.narrowed(query.apply(s)));
        List<SearchResult.Hit> hits = new java.util.ArrayList<>();
        List<Object> after = List.of();
        while (narrowed.isPresent() && hits.size() < limit) {
            RecordQuery q = narrowed.get();
            RecordQuery page = new RecordQuery(q.scope(), q.types(), q.criteria(), q.sort(), RecordQuery.MAX_COUNT,
                    after, List.of(), false, q.withResource());
            List<SearchResult.Hit> found = index.search(page).hits();
            hits.addAll(reading.confirmed(new SearchResult(found.size(), found, java.util.Map.of(), List.of()))
                    .hits());
            if (found.size() < RecordQuery.MAX_COUNT) {
                break;
            }
            after = found.get(found.size() - 1).sortValues();
        }
        return hits.size() > limit ? hits.subList(0, limit) : hits;
    }

    /** A person's query result, and whether the system of record answered it because the mirror was down. */
    public record PersonResult(SearchResult result, boolean fromFallback) {
    }

    /** Answers a person's query from the system of record when the mirror is down. */
    @FunctionalInterface
    public interface Fallback {
        SearchResult search(Scope scope);
    }

    private static void disclosed(Reading reading, RecordQuery q, SearchResult result) {
        reading.describedAs(e -> e.withResource(String.join(",", q.types()), null).withQuery(q.criteria().toString())
                .withDetail(result.total() + " match(es)")).disclosed(result.hits().stream().map(Disclosure::of)
                .toList());
    }
}
