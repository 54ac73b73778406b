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
                any.add(Query.of(q -> q.prefix(x -> x.field(p.field()).value(Folding.fold(value)))));
            }
            return Query.of(q -> q.bool(b -> b.should(any).minimumShouldMatch("1")));
        }
        if (c instanceof Range r) {
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
        if (c instanceof FullText f) {
            return Query.of(q -> q.match(m -> m.field("text").query(f.text()).operator(
                    co.elastic.clients.elasticsearch._types.query_dsl.Operator.And)));
        }
        Exists e = (Exists) c;
        Query exists = Query.of(q -> q.exists(x -> x.field(e.field())));
        return e.present() ? exists : Query.of(q -> q.bool(b -> b.mustNot(exists)));
    }

    /** The requested order plus a unique tie-breaker ({@code _id} of the doc is tenant/type/id) for stable paging. */
    static List<SortOptions> sort(RecordQuery query) {
        List<SortOptions> sort = new ArrayList<>();
        for (RecordQuery.Sort s : query.sort()) {
            SortOrder order = s.descending() ? SortOrder.Desc : SortOrder.Asc;
            sort.add(SortOptions.of(o -> o.field(f -> f.field(s.field()).order(order)
                    .missing(s.descending() ? "_last" : "_last"))));
        }
        sort.add(SortOptions.of(o -> o.field(f -> f.field("doc_key").order(SortOrder.Asc))));
        return sort;
    }

    private static List<FieldValue> values(List<String> values) {
        return values.stream().map(FieldValue::of).toList();
    }
}
