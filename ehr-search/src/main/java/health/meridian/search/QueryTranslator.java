package health.meridian.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Exists;
import health.meridian.domain.search.RecordQuery.FullText;
import health.meridian.domain.search.RecordQuery.Prefix;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.domain.search.RecordQuery.AnyOf;
import health.meridian.domain.search.RecordQuery.Nested;
import health.meridian.domain.search.RecordQuery.Not;
import health.meridian.domain.search.RecordQuery.RangeRelation;
import health.meridian.domain.search.RecordQuery.Wildcard;
import co.elastic.clients.elasticsearch._types.SortMode;
import health.meridian.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place a {@link RecordQuery} becomes an Elasticsearch query. The scope (tenants, persons, withheld labels)
 * is always applied as filters first; criteria come after and can only narrow the result.
 */
final class QueryTranslator {

    private QueryTranslator() {
    }

    static BoolQuery scoped(RecordQuery query) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        RecordQuery.Scope scope = query.scope();
        Query own = Query.of(q -> q.bool(ownInstitutions(scope)));
        if (scope.shared().isEmpty()) {
            bool.filter(own);
        } else {
            List<Query> any = new ArrayList<>();
            any.add(own);
            scope.shared().forEach(s -> any.add(Query.of(q -> q.bool(shared(s, scope.tenants())))));
            bool.filter(f -> f.bool(b -> b.should(any).minimumShouldMatch("1")));
        }
        bool.filter(f -> f.terms(t -> t.field("type").terms(v -> v.value(values(query.types())))));
        bool.mustNot(f -> f.term(t -> t.field("deleted").value(true)));
        for (Criterion c : query.criteria()) {
            bool.filter(criterion(c));
        }
        return bool.build();
    }

    private static BoolQuery ownInstitutions(RecordQuery.Scope scope) {
        BoolQuery.Builder own = new BoolQuery.Builder();
        own.filter(f -> f.terms(t -> t.field("tenant").terms(v -> v.value(values(
                scope.tenants().stream().map(TenantId::value).toList())))));
        if (!scope.persons().isEmpty()) {
            Query persons = Query.of(q -> q.terms(t -> t.field("person").terms(v -> v.value(values(scope.persons())))));
            if (scope.includeUnlinked()) {
                Query unlinked = Query.of(q -> q.bool(b -> b.mustNot(m -> m.exists(e -> e.field("person")))));
                own.filter(f -> f.bool(b -> b.should(persons, unlinked).minimumShouldMatch("1")));
            } else {
                own.filter(persons);
            }
        }
        if (!scope.withheldLabels().isEmpty()) {
            own.mustNot(f -> f.terms(t -> t.field("sensitivity").terms(v -> v.value(values(scope.withheldLabels())))));
        }
        return own.build();
    }

    /**
     * A person shared by a grant: their records held by other institutions than the caller's own (the policy
     * decision point judges records of the caller's own institution by care relationship only, never by grant).
     */
    private static BoolQuery shared(RecordQuery.Shared s, List<TenantId> own) {
        BoolQuery.Builder b = new BoolQuery.Builder();
        b.filter(f -> f.term(t -> t.field("person").value(s.person())));
        b.mustNot(f -> f.terms(t -> t.field("tenant").terms(v -> v.value(values(
                own.stream().map(TenantId::value).toList())))));
        if (!s.withheldCodes().isEmpty()) {
            b.mustNot(f -> f.terms(t -> t.field("sensitivity_code").terms(v -> v.value(values(s.withheldCodes())))));
        }
        return b.build();
    }

    static Query criterion(Criterion c) {
        if (c instanceof Term t) {
            return Query.of(q -> q.terms(x -> x.field(t.field()).terms(v -> v.value(values(t.values())))));
        }
        if (c instanceof Prefix p) {
            List<Query> any = new ArrayList<>();
            for (String value : p.values()) {
                any.add(Query.of(q -> q.prefix(x -> x.field(p.field()).value(value))));
            }
            return Query.of(q -> q.bool(b -> b.should(any).minimumShouldMatch("1")));
        }
        if (c instanceof Range r) {
            return range(r);
        }
        if (c instanceof FullText f) {
            return Query.of(q -> q.match(m -> m.field("text").query(f.text()).operator(
                    co.elastic.clients.elasticsearch._types.query_dsl.Operator.And)));
        }
        if (c instanceof Wildcard w) {
            return Query.of(q -> q.wildcard(x -> x.field(w.field()).value(w.pattern())));
        }
        if (c instanceof Not n) {
            return Query.of(q -> q.bool(b -> b.mustNot(criterion(n.criterion()))));
        }
        if (c instanceof AnyOf any) {
            List<Query> qs = any.criteria().stream().map(QueryTranslator::criterion).toList();
            return Query.of(q -> q.bool(b -> b.should(qs).minimumShouldMatch("1")));
        }
        if (c instanceof Nested n) {
            return nested(n);
        }
        if (c instanceof RangeRelation r) {
            return relation(r);
        }
        Exists e = (Exists) c;
        Query exists = Query.of(q -> q.exists(x -> x.field(e.field())));
        return e.present() ? exists : Query.of(q -> q.bool(b -> b.mustNot(exists)));
    }

    private static Query range(Range r) {
        return Query.of(q -> q.range(x -> x.untyped(u -> {
            u.field(r.field());
            if (r.gt() != null) {
                u.gt(JsonData.of(r.gt()));
            }
            if (r.gte() != null) {
                u.gte(JsonData.of(r.gte()));
            }
            if (r.lt() != null) {
                u.lt(JsonData.of(r.lt()));
            }
            if (r.lte() != null) {
                u.lte(JsonData.of(r.lte()));
            }
            return u;
        })));
    }

    /** One nested object of the parameter matches every criterion (fields named with the nested path). */
    private static Query nested(Nested n) {
        List<Query> all = new ArrayList<>();
        all.add(Query.of(q -> q.term(t -> t.field(n.path() + ".n").value(n.param()))));
        n.criteria().forEach(c -> all.add(criterion(c)));
        return Query.of(q -> q.nested(x -> x.path(n.path()).query(i -> i.bool(b -> b.filter(all)))
                .scoreMode(co.elastic.clients.elasticsearch._types.query_dsl.ChildScoreMode.None)));
    }

    private static Query relation(RangeRelation r) {
        co.elastic.clients.elasticsearch._types.query_dsl.RangeRelation relation = switch (r.relation()) {
            case WITHIN -> co.elastic.clients.elasticsearch._types.query_dsl.RangeRelation.Within;
            case CONTAINS -> co.elastic.clients.elasticsearch._types.query_dsl.RangeRelation.Contains;
            case INTERSECTS -> co.elastic.clients.elasticsearch._types.query_dsl.RangeRelation.Intersects;
        };
        return Query.of(q -> q.range(x -> x.untyped(u -> {
            u.field(r.field()).relation(relation);
            if (r.from() != null) {
                u.gte(JsonData.of(r.from()));
            }
            if (r.to() != null) {
                u.lte(JsonData.of(r.to()));
            }
            return u;
        })));
    }

    /** Whether a query reads the search-parameter fields of mapping v2 (criteria or sort). */
    static boolean usesSearchParameters(RecordQuery query) {
        return query.criteria().stream().anyMatch(QueryTranslator::usesSearchParameters)
                || query.sort().stream().anyMatch(s -> s.field().startsWith("sp_"));
    }

    private static boolean usesSearchParameters(Criterion c) {
        if (c instanceof Not n) {
            return usesSearchParameters(n.criterion());
        }
        if (c instanceof AnyOf a) {
            return a.criteria().stream().anyMatch(QueryTranslator::usesSearchParameters);
        }
        if (c instanceof Nested) {
            return true;
        }
        String field = c instanceof Term t ? t.field() : c instanceof Prefix p ? p.field()
                : c instanceof Wildcard w ? w.field() : c instanceof Range r ? r.field()
                : c instanceof RangeRelation r ? r.field() : c instanceof Exists e ? e.field() : "";
        return field.startsWith("sp_");
    }

    /** The requested order plus a unique tie-breaker ({@code _id} of the doc is tenant/type/id) for stable paging. */
    static List<SortOptions> sort(RecordQuery query) {
        List<SortOptions> sort = new ArrayList<>();
        for (RecordQuery.Sort s : query.sort()) {
            SortOrder order = s.descending() ? SortOrder.Desc : SortOrder.Asc;
            if (s.nestedPath() == null) {
                sort.add(SortOptions.of(o -> o.field(f -> f.field(s.field()).order(order).missing("_last"))));
            } else {
                sort.add(SortOptions.of(o -> o.field(f -> f.field(s.field()).order(order).missing("_last")
                        .mode(s.descending() ? SortMode.Max : SortMode.Min)
                        .nested(n -> n.path(s.nestedPath()).filter(q -> q.term(t -> t.field(s.nestedPath() + ".n")
                                .value(s.nestedParam())))))));
            }
        }
        sort.add(SortOptions.of(o -> o.field(f -> f.field("doc_key").order(SortOrder.Asc))));
        return sort;
    }

    private static List<FieldValue> values(List<String> values) {
        return values.stream().map(FieldValue::of).toList();
    }
}
