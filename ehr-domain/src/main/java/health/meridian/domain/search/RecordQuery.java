package health.meridian.domain.search;

import health.meridian.domain.tenant.TenantId;
import java.util.List;

/**
 * A query over the search mirror. The scope is mandatory: a query cannot be built without the institutions the
 * caller may see, and every query the adapter sends carries it as a filter.
 *
 * @param scope        what the caller may see (decided by the access policy)
 * @param types        resource types (at least one)
 * @param criteria     criteria, ANDed; the values inside one criterion are ORed
 * @param sort         sort order; the adapter always appends a unique tie-breaker for stable paging
 * @param count        page size (0 = count only)
 * @param searchAfter  the sort values of the last hit of the previous page (empty for the first page)
 * @param facets       keyword fields to count buckets of (e.g. category, tenant)
 * @param histogram    true for a per-month histogram of the effective time
 */
public record RecordQuery(Scope scope, List<String> types, List<Criterion> criteria, List<Sort> sort, int count,
                          List<Object> searchAfter, List<String> facets, boolean histogram, boolean withResource) {

    public static final int MAX_COUNT = 1000;

    public RecordQuery {
        if (scope == null) {
            throw new IllegalArgumentException("EHR-0201 a search always has a scope");
        }
        if (types == null || types.isEmpty()) {
            throw new IllegalArgumentException("EHR-0203 a search names at least one resource type");
        }
        if (count < 0 || count > MAX_COUNT + 1) {
            throw new IllegalArgumentException("EHR-0202 _count must be between 0 and " + MAX_COUNT);
        }
        types = List.copyOf(types);
        criteria = List.copyOf(criteria);
        sort = List.copyOf(sort);
        searchAfter = searchAfter == null ? List.of() : List.copyOf(searchAfter);
        facets = List.copyOf(facets);
    }

    /** A query whose hits carry the stored FHIR resource (FHIR search needs it; the timeline and cohorts do not). */
    public RecordQuery(Scope scope, List<String> types, List<Criterion> criteria, List<Sort> sort, int count,
                       List<Object> searchAfter, List<String> facets, boolean histogram) {
        this(scope, types, criteria, sort, count, searchAfter, facets, histogram, true);
    }

    /** A simple query: one type, criteria, default order, first page. */
    public static RecordQuery of(Scope scope, String type, List<Criterion> criteria, int count) {
        return new RecordQuery(scope, List.of(type), criteria, List.of(), count, List.of(), List.of(), false);
    }

    /**
     * What the caller may see: records held by {@code tenants} — restricted to {@code persons} when that list is
     * not empty (plus records about no person when {@code includeUnlinked}) and without records carrying one of
     * {@code withheldLabels} — or, at any institution, records of a person {@link Shared shared} with the caller.
     */
    public record Scope(List<TenantId> tenants, List<String> persons, List<String> withheldLabels,
                        boolean includeUnlinked, List<Shared> shared) {

        public Scope {
            if (tenants == null || tenants.isEmpty()) {
                throw new IllegalArgumentException("EHR-0201 a search always has a tenant scope");
            }
            tenants = List.copyOf(tenants);
            persons = persons == null ? List.of() : List.copyOf(persons);
            withheldLabels = withheldLabels == null ? List.of() : List.copyOf(withheldLabels);
            shared = shared == null ? List.of() : List.copyOf(shared);
        }

        public Scope(List<TenantId> tenants, List<String> persons, List<String> withheldLabels) {
            this(tenants, persons, withheldLabels, false, List.of());
        }

        public static Scope tenants(List<TenantId> tenants) {
            return new Scope(tenants, List.of(), List.of());
        }

        /** A person id no record carries: a person clause that admits nothing (an empty list would admit all). */
        public static final String NOBODY = "urn:meridian:nobody";

        /**
         * The scope narrowed to one person (a patient's timeline): the own-institution clause keeps the person only
         * if the scope already admitted them there, and the person's grant (if any) is kept.
         */
        public Scope forPerson(String person) {
            List<Shared> sharedForPerson = shared.stream().filter(s -> s.person().equals(person)).toList();
            List<String> own = persons.contains(person) ? List.of(person) : List.of(NOBODY);
            return new Scope(tenants, own, withheldLabels, false, sharedForPerson);
        }
    }

    /**
     * A person's records shared with the caller by a grant, at every institution, except records whose
     * sensitivity code (e.g. PSY) is in {@code withheldCodes}.
     */
    public record Shared(String person, List<String> withheldCodes) {
        public Shared {
            withheldCodes = withheldCodes == null ? List.of() : List.copyOf(withheldCodes);
        }
    }

    /** One criterion on an indexed field. */
    public sealed interface Criterion {
    }

    /** Field equals one of the values. */
    public record Term(String field, List<String> values) implements Criterion {
        public Term(String field, String value) {
            this(field, List.of(value));
        }
    }

    /** A keyword starts with one of the values (given as indexed: fold them first for folded fields). */
    public record Prefix(String field, List<String> values) implements Criterion {
        public Prefix(String field, String value) {
            this(field, List.of(value));
        }
    }

    /** A date or number range; null bounds are open. Dates are ISO-8601 strings. */
    public record Range(String field, Object gt, Object gte, Object lt, Object lte) implements Criterion {
    }

    /** Full-text match over the document's text. */
    public record FullText(String text) implements Criterion {
    }

    /** Field present (true) or absent (false). */
    public record Exists(String field, boolean present) implements Criterion {
    }

    /** A keyword matches a pattern with {@code *} and {@code ?} wildcards (e.g. a string's {@code :contains}). */
    public record Wildcard(String field, String pattern) implements Criterion {
    }

    /** The criterion does not match (a document without the field matches). */
    public record Not(Criterion criterion) implements Criterion {
    }

    /** At least one of the criteria matches (comma-separated values of a FHIR parameter). */
    public record AnyOf(List<Criterion> criteria) implements Criterion {
        public AnyOf {
            criteria = List.copyOf(criteria);
        }
    }

    /**
     * One nested value of a search parameter matches all {@code criteria}: the nested objects at {@code path} carry
     * the parameter's name in {@code path.n}, so values of a parameter are compared together (a quantity's value
     * with its own unit).
     */
    public record Nested(String path, String param, List<Criterion> criteria) implements Criterion {
        public Nested {
            criteria = List.copyOf(criteria);
        }
    }

    /** How an indexed range relates to the query's range {@code [from, to]} (inclusive; null = open). */
    public enum Relation { INTERSECTS, WITHIN, CONTAINS }

    /** A range field (e.g. {@code date_range}) related to the range {@code [from, to]} of epoch milliseconds. */
    public record RangeRelation(String field, Long from, Long to, Relation relation) implements Criterion {
    }

    /**
     * A sort key. With {@code nestedPath}, the value is taken from the nested objects of one search parameter
     * ({@code nestedParam}): the smallest for ascending, the largest for descending order.
     */
    public record Sort(String field, boolean descending, String nestedPath, String nestedParam) {
        public Sort(String field, boolean descending) {
            this(field, descending, null, null);
        }
    }
}
