package health.meridian.web.cohort;

import health.meridian.domain.cohort.Criterion;
import health.meridian.domain.cohort.CohortSource;
import health.meridian.domain.cohort.Demographics;
import health.meridian.domain.cohort.ValueFilter;
import health.meridian.domain.search.CohortIndex;
import health.meridian.domain.search.CohortIndex.PatientFacts;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.domain.tenant.Institution;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CohortSource} over the search mirror, within one scope. The patient documents of the scope are read
 * once (population, demographics, breakdowns); each clinical criterion is one scoped person-set query.
 * {@code consentedOnly}: the population is narrowed to persons with an active research Consent in scope.
 */
final class MirrorCohortSource implements CohortSource {

    static final String RESEARCH = "http://terminology.hl7.org/CodeSystem/consentcategorycodes|research";

    private final CohortIndex index;
    private final Scope scope;
    private final Map<String, Institution> institutions;
    private final Map<String, List<PatientFacts>> patients = new LinkedHashMap<>();

    MirrorCohortSource(CohortIndex index, Scope scope, List<Institution> institutions, boolean consentedOnly) {
        this.index = index;
        this.scope = scope;
        this.institutions = new LinkedHashMap<>();
        institutions.forEach(i -> this.institutions.put(i.id().value(), i));
        Set<String> consented = consentedOnly ? unchecked(() -> index.persons(RecordQuery.of(scope, "Consent",
                List.of(new Term("status", "active"), new Term("category", RESEARCH)), 0))) : null;
        for (PatientFacts p : unchecked(() -> index.patients(RecordQuery.of(scope, "Patient", List.of(), 0)))) {
            if (p.person() != null && (consented == null || consented.contains(p.person()))) {
                patients.computeIfAbsent(p.person(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    Map<String, List<PatientFacts>> patients() {
        return patients;
    }

    @Override
    public Set<String> population() {
        return patients.keySet();
    }

    @Override
    public Set<String> persons(Criterion criterion, LocalDate indexDate) {
        return unchecked(() -> index.persons(query(criterion, indexDate)));
    }

    @Override
    public Map<String, int[]> days(Criterion criterion, LocalDate indexDate) {
        return unchecked(() -> index.days(query(criterion, indexDate)));
    }

    @Override
    public Set<String> demographics(Demographics d, LocalDate indexDate) {
        Set<String> out = new HashSet<>();
        patients.forEach((person, records) -> {
            if (records.stream().anyMatch(p -> matches(d, p, indexDate))) {
                out.add(person);
            }
        });
        return out;
    }

    private boolean matches(Demographics d, PatientFacts p, LocalDate indexDate) {
        Institution at = institutions.get(p.tenant());
        Integer age = p.birthDate() == null ? null : Period.between(p.birthDate(), indexDate).getYears();
        return (d.gender() == null || d.gender().equals(p.gender()))
                && (d.minAge() == null || (age != null && age >= d.minAge()))
                && (d.maxAge() == null || (age != null && age <= d.maxAge()))
                && (d.institutions().isEmpty() || d.institutions().contains(p.tenant()))
                && (d.countries().isEmpty() || (at != null && d.countries().contains(at.country())))
                && (d.regions().isEmpty() || (at != null && d.regions().contains(at.region())));
    }

    private RecordQuery query(Criterion c, LocalDate indexDate) {
        List<RecordQuery.Criterion> filters = new ArrayList<>();
        if (!c.codes().isEmpty()) {
            filters.add(new Term("concept_codes", c.codeTokens()));
        }
        LocalDate from = c.window().start(indexDate);
        LocalDate to = c.window().end(indexDate);
        if (from != null || to != null) {
            filters.add(new Range("effective", null, from == null ? null : from.toString(), to == null ? null
                    : to.toString(), null));
        }
        if (c.value() != null) {
            filters.add(value(c.value()));
            filters.add(new Term("value_unit", c.value().unit()));
        }
        return new RecordQuery(scope, c.type().resourceTypes(), filters, List.of(), 0, List.of(), List.of(), false,
                false);
    }

    private static Range value(ValueFilter v) {
        double x = v.value();
        return switch (v.comparator()) {
            case GT -> new Range("value_quantity", x, null, null, null);
            case GE -> new Range("value_quantity", null, x, null, null);
            case LT -> new Range("value_quantity", null, null, x, null);
            case LE -> new Range("value_quantity", null, null, null, x);
            case EQ -> new Range("value_quantity", null, x, null, x);
        };
    }

    interface IndexCall<T> {
        T call() throws IndexUnavailableException;
    }

    static <T> T unchecked(IndexCall<T> call) {
        try {
            return call.call();
        } catch (IndexUnavailableException e) {
            throw new CohortIndexUnavailableException(e);
        }
    }
}
