package health.meridian.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.ChildScoreMode;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import health.meridian.domain.cohort.CohortNode;
import health.meridian.domain.cohort.Criterion;
import health.meridian.domain.cohort.Demographics;
import health.meridian.domain.cohort.Group;
import health.meridian.domain.cohort.Sequence;
import health.meridian.domain.cohort.ValueFilter;
import health.meridian.domain.search.CohortIndex.Population;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place a cohort definition becomes a query over person documents. The population's institutions are the
 * first filter of every nested clause (a criterion only sees records, a demographic condition only patient
 * records, of those institutions) and of the top level (the person has a patient record there): deny by default,
 * an empty list matches nobody. AND/OR/NOT become bool filter/should/must_not; NOT is taken against the
 * population because the population filter always stands beside the definition.
 */
final class CohortQueries {

    static final String RESEARCH = "http://terminology.hl7.org/CodeSystem/consentcategorycodes|research";
    /** The status the index gives a record entered in error ({@link Summaries}: for a Condition, its verification status). */
    static final String ENTERED_IN_ERROR = "entered-in-error";
    /** Above this many codes a bucket clause uses the plain filters (one point range per code otherwise). */
    static final int MAX_CODE_RANGES = 64;
    /** Above this many (institution, resource type, code) terms a bucket clause uses the plain filters. */
    static final int MAX_SCOPED_TERMS = 1_024;

    private final Population population;
    private final List<String> tenants;
    private final LocalDate indexDate;
    private final Function<Sequence, Query> sequences;

    /** {@code sequences} answers a temporal relation (see {@link SequenceFilter}). */
    CohortQueries(Population population, LocalDate indexDate, Function<Sequence, Query> sequences) {
        this.population = population;
        this.tenants = population.tenants().stream().map(TenantId::value).sorted().toList();
        this.indexDate = indexDate;
        this.sequences = sequences;
    }

    List<String> tenants() {
        return tenants;
    }

    /** The population and the definition: what is counted. */
    Query cohort(CohortNode root) {
        return Query.of(q -> q.bool(b -> b.filter(population()).filter(node(root))));
    }

    /**
     * The persons of the population with an event of each of these criteria ({@link #eventsScoped}): what a request
     * that only looks at those criteria's events (a temporal relation's bucket discovery, the entry-year range)
     * needs to visit. The same events as the population alone — a person without such an event has none to
     * aggregate — but the nested aggregations then walk the events of those persons only, not every event of the
     * population.
     */
    Query populationWith(Criterion... criteria) {
        BoolQuery.Builder b = new BoolQuery.Builder().filter(population());
        for (Criterion c : criteria) {
            b.filter(nested(PersonDocuments.EVENTS, eventsScoped(c)));
        }
        return Query.of(q -> q.bool(b.build()));
    }

    /** Persons with a patient record in scope and, for researchers, an active research Consent in scope. */
    Query population() {
        BoolQuery.Builder b = new BoolQuery.Builder();
        b.filter(nested(PersonDocuments.PATIENTS, inScope(PersonDocuments.PATIENTS).build()));
        if (population.researchConsentOnly()) {
            b.filter(nested(PersonDocuments.EVENTS, inScope(PersonDocuments.EVENTS)
                    .filter(term("events.type", "Consent")).filter(term("events.status", "active"))
                    .filter(term("events.category", RESEARCH)).build()));
        }
        return Query.of(q -> q.bool(b.build()));
    }

    Query node(CohortNode node) {
        if (node instanceof Criterion c) {
            return c.demographics() != null ? demographics(c.demographics())
                    : nested(PersonDocuments.EVENTS, events(c));
        }
        if (node instanceof Sequence s) {
            return sequences.apply(s);
        }
        Group g = (Group) node;
        List<Query> children = g.children().stream().map(this::node).toList();
        return switch (g.operator()) {
            case AND -> Query.of(q -> q.bool(b -> b.filter(children)));
            case OR -> Query.of(q -> q.bool(b -> b.should(children).minimumShouldMatch("1")));
            case NOT -> Query.of(q -> q.bool(b -> b.mustNot(children)));
        };
    }

    /** The nested filter selecting one person's events that satisfy a (clinical) criterion, scope first. */
    BoolQuery events(Criterion c) {
        return eventsBuilder(c).build();
    }

    private BoolQuery.Builder eventsBuilder(Criterion c) {
        BoolQuery.Builder b = inScope(PersonDocuments.EVENTS);
        b.filter(terms("events.type", c.type().resourceTypes()));
        if (!c.codes().isEmpty()) {
            b.filter(terms("events.codes", c.codeTokens()));
        }
        window(c, b);
        return b;
    }

    /**
     * The criterion's time window and value comparison, if it has them — and never an entry entered in error (a
     * Condition whose verification status says so, any other record whose status does): such an entry stays in the
     * record and the person document (its version is part of the mirror's reconciliation), but it states nothing
     * about the patient, so no criterion matches it. Every event clause of a criterion passes through here.
     */
    private void window(Criterion c, BoolQuery.Builder b) {
        b.mustNot(term("events.status", ENTERED_IN_ERROR));
        LocalDate from = c.window().start(indexDate);
        LocalDate to = c.window().end(indexDate);
        if (from != null || to != null) {
            b.filter(range("events.effective", from == null ? null : JsonData.of(from.toString()), null,
                    to == null ? null : JsonData.of(to.toString()), null));
        }
        if (c.value() != null) {
            b.filter(value(c.value())).filter(term("events.unit", c.value().unit()));
        }
    }

    /**
     * The same events as {@link #events}, for aggregations that visit every event of the population (a temporal
     * relation's bucket discovery, the entry years): when the criterion has codes, scope, resource type and code are
     * checked by one sparse terms filter on {@code events.scoped_codes} — every institution in scope × type × code
     * ({@link PersonDocuments#scopedCode}), the scope carried by the terms themselves — instead of the dense
     * institution filter and two more terms per event. Without codes, or with more terms than
     * {@link #MAX_SCOPED_TERMS}, the plain filters.
     */
    BoolQuery eventsScoped(Criterion c) {
        return scoped(c).orElseGet(() -> eventsBuilder(c)).build();
    }

    /**
     * The events of criterion {@code c} on a UTC day in [from, to), as a temporal relation's bucket clause asks for
     * them: {@link #eventsScoped} led by point ranges on {@code events.code_day} (that code's events of those days,
     * {@link PersonDocuments#codeDay}) — exact: a hash collision of {@code code_day} only widens the candidates, the
     * {@code scoped_codes} terms decide, and every value of an event carries that event's own day. Checking the
     * dense institution, type and day filters per event instead made the relation's clauses about twice as slow at
     * 1M persons. Without codes, with more than {@link #MAX_CODE_RANGES} codes or too many terms, or a day range
     * outside what {@code code_day} encodes, the plain filters with a day range (the scope still first).
     */
    BoolQuery eventsOnDays(Criterion c, int from, int to) {
        List<String> codes = c.codeTokens().stream().distinct().toList();
        Optional<BoolQuery.Builder> scoped = scoped(c);
        boolean encodable = PersonDocuments.DAY_OFFSET + (long) from >= 0
                && PersonDocuments.DAY_OFFSET + (long) to <= PersonDocuments.MAX_DAY_CODE;
        if (scoped.isEmpty() || codes.size() > MAX_CODE_RANGES || !encodable) {
            return eventsBuilder(c).filter(range("events.day", JsonData.of(from), null, JsonData.of(to), null)).build();
        }
        List<Query> ranges = codes.stream().map(code -> range("events.code_day",
                JsonData.of(PersonDocuments.codeDay(code, from)), null, JsonData.of(PersonDocuments.codeDay(code, to)),
                null)).toList();
        return scoped.get().filter(q -> q.bool(x -> x.should(ranges).minimumShouldMatch("1"))).build();
    }

    /** The scoped-codes form of a criterion's event filter (terms first, then window and value), if it has one. */
    private Optional<BoolQuery.Builder> scoped(Criterion c) {
        List<String> codes = c.codeTokens().stream().distinct().toList();
        List<String> terms = tenants.stream().flatMap(t -> c.type().resourceTypes().stream()
                .flatMap(type -> codes.stream().map(code -> PersonDocuments.scopedCode(t, type, code)))).toList();
        if (codes.isEmpty() || terms.size() > MAX_SCOPED_TERMS) {
            return Optional.empty();
        }
        BoolQuery.Builder b = new BoolQuery.Builder().filter(terms("events.scoped_codes", terms));
        window(c, b);
        return Optional.of(b);
    }

    /** All given conditions on the same patient record, which is in scope. */
    Query demographics(Demographics d) {
        BoolQuery.Builder b = inScope(PersonDocuments.PATIENTS);
        if (d.gender() != null) {
            b.filter(term("patients.gender", d.gender()));
        }
        if (d.minAge() != null) {
            b.filter(range("patients.birthdate", null, null, null, JsonData.of(bornBy(d.minAge()).toString())));
        }
        if (d.maxAge() != null) {
            b.filter(range("patients.birthdate", null, JsonData.of(bornBy(d.maxAge() + 1).toString()), null, null));
        }
        if (!d.institutions().isEmpty()) {
            b.filter(terms("patients.tenant", d.institutions()));
        }
        if (!d.countries().isEmpty()) {
            b.filter(terms("patients.tenant", institutions(i -> d.countries().contains(i.country()))));
        }
        if (!d.regions().isEmpty()) {
            b.filter(terms("patients.tenant", institutions(i -> d.regions().contains(i.region()))));
        }
        return nested(PersonDocuments.PATIENTS, b.build());
    }

    /** The latest birth date of a person aged at least {@code years} at the index date (whole years). */
    LocalDate bornBy(int years) {
        return indexDate.minusYears(years);
    }

    private List<String> institutions(java.util.function.Predicate<Institution> which) {
        return population.institutions().stream().filter(which).map(i -> i.id().value()).toList();
    }

    /** A nested clause's first filter: the entry belongs to an institution of the population. */
    BoolQuery.Builder inScope(String path) {
        return new BoolQuery.Builder().filter(terms(path + ".tenant", tenants));
    }

    /** Persons with any entry (patient record or event) at one institution (reconciliation). */
    static Query hasEntryAt(String tenant) {
        Query patients = nested(PersonDocuments.PATIENTS, BoolQuery.of(b -> b.filter(term("patients.tenant", tenant))));
        Query events = nested(PersonDocuments.EVENTS, BoolQuery.of(b -> b.filter(term("events.tenant", tenant))));
        return Query.of(q -> q.bool(b -> b.should(patients, events).minimumShouldMatch("1")));
    }

    static Query nested(String path, BoolQuery inner) {
        return Query.of(q -> q.nested(n -> n.path(path).scoreMode(ChildScoreMode.None)
                .query(Query.of(i -> i.bool(inner)))));
    }

    static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    static Query terms(String field, List<String> values) {
        List<FieldValue> v = values.stream().map(FieldValue::of).toList();
        return Query.of(q -> q.terms(t -> t.field(field).terms(x -> x.value(v))));
    }

    static Query range(String field, JsonData gte, JsonData gt, JsonData lt, JsonData lte) {
        return Query.of(q -> q.range(r -> r.untyped(u -> {
            u.field(field);
            if (gte != null) {
                u.gte(gte);
            }
            if (gt != null) {
                u.gt(gt);
            }
            if (lt != null) {
                u.lt(lt);
            }
            if (lte != null) {
                u.lte(lte);
            }
            return u;
        })));
    }

    private static Query value(ValueFilter v) {
        JsonData x = JsonData.of(v.value());
        return switch (v.comparator()) {
            case GT -> range("events.value", null, x, null, null);
            case GE -> range("events.value", x, null, null, null);
            case LT -> range("events.value", null, null, x, null);
            case LE -> range("events.value", null, null, null, x);
            case EQ -> range("events.value", x, null, null, x);
        };
    }
}
