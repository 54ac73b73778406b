package health.meridian.domain.cohort;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Evaluates a definition to its set of persons: criteria from the source, groups combined as sets. */
public final class CohortEvaluator {

    private final CohortSource source;
    private Set<String> population;

    public CohortEvaluator(CohortSource source) {
        this.source = source;
    }

    public Set<String> evaluate(CohortDefinition definition) {
        Set<String> result = new HashSet<>(evaluate(definition.root(), definition));
        result.retainAll(population());
        return result;
    }

    private Set<String> population() {
        if (population == null) {
            population = source.population();
        }
        return population;
    }

    private Set<String> evaluate(CohortNode node, CohortDefinition d) {
        if (node instanceof Criterion c) {
            return c.type() == CriterionType.DEMOGRAPHICS ? source.demographics(c.demographics(), d.indexDate())
                    : source.persons(c, d.indexDate());
        }
        if (node instanceof Sequence s) {
            return sequence(source.days(s.first(), d.indexDate()), source.days(s.then(), d.indexDate()),
                    s.withinDays());
        }
        Group g = (Group) node;
        return switch (g.operator()) {
            case NOT -> difference(population(), evaluate(g.children().get(0), d));
            case OR -> {
                Set<String> any = new HashSet<>();
                g.children().forEach(c -> any.addAll(evaluate(c, d)));
                yield any;
            }
            case AND -> {
                Set<String> all = null;
                for (CohortNode c : g.children()) {
                    Set<String> next = evaluate(c, d);
                    all = all == null ? new HashSet<>(next) : retain(all, next);
                    if (all.isEmpty()) {
                        break;
                    }
                }
                yield all;
            }
        };
    }

    private static Set<String> retain(Set<String> all, Set<String> next) {
        all.retainAll(next);
        return all;
    }

    private static Set<String> difference(Set<String> universe, Set<String> minus) {
        Set<String> out = new HashSet<>(universe);
        out.removeAll(minus);
        return out;
    }

    /** Persons with a day b of {@code then} and a day a of {@code first} such that 0 <= b - a <= withinDays. */
    static Set<String> sequence(Map<String, int[]> first, Map<String, int[]> then, int withinDays) {
        Set<String> out = new HashSet<>();
        for (Map.Entry<String, int[]> e : then.entrySet()) {
            int[] a = first.get(e.getKey());
            if (a != null && follows(a, e.getValue(), withinDays)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static boolean follows(int[] firstDays, int[] thenDays, int withinDays) {
        int i = 0;
        for (int b : thenDays) {
            while (i < firstDays.length && firstDays[i] < b - withinDays) {
                i++;
            }
            if (i < firstDays.length && firstDays[i] <= b) {
                return true;
            }
        }
        return false;
    }
}
