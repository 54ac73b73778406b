package health.meridian.web.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The caller's care relationships as the policy asks about them: whether a person is in the care of the caller's
 * active teams (remembered for the rest of the transaction; {@link #confirm} asks for a page of hits at once), and,
 * for a search across persons, the list of them. For a clinician reading they come from this instance's
 * {@link CareRelationsCache} (ADR 0038: the persons its rows name are answered in memory, exact at the care-relation
 * counter the request's binding statement read; any other person is an indexed lookup in this transaction);
 * otherwise (a write, a transaction that changed care relations) every person is such a lookup (ADR 0020).
 */
public final class CareRelations {

    private final Function<Collection<String>, Set<String>> lookup;
    private final Supplier<List<String>> searchList;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    CareRelations(Function<Collection<String>, Set<String>> lookup, Supplier<List<String>> searchList) {
        this.lookup = lookup;
        this.searchList = searchList;
    }

    /** A fixed set of persons (no database): tests, and callers who have no care teams. */
    public static CareRelations of(Set<String> persons) {
        Set<String> fixed = Set.copyOf(persons);
        return new CareRelations(ps -> {
            Set<String> in = new LinkedHashSet<>(ps);
            in.retainAll(fixed);
            return in;
        }, () -> fixed.stream().sorted().toList());
    }

    public static CareRelations none() {
        return of(Set.of());
    }

    /** Is {@code person} in the care of one of the caller's active teams (of their institution)? */
    public boolean covers(String person) {
        if (person == null) {
            return false;
        }
        Boolean answer = known.get(person);
        if (answer == null) {
            confirm(List.of(person));
            answer = known.get(person);
        }
        return answer;
    }

    /** Looks the persons up at once (one query for a page of hits); returns those in care. */
    public Set<String> confirm(Collection<String> persons) {
        Set<String> ask = new LinkedHashSet<>();
        for (String p : persons) {
            if (p != null && !known.containsKey(p)) {
                ask.add(p);
            }
        }
        if (!ask.isEmpty()) {
            Set<String> in = lookup.apply(ask);
            ask.forEach(p -> known.put(p, in.contains(p)));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String p : persons) {
            if (p != null && known.getOrDefault(p, false)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The persons a search across persons is confined to: every person in care, sorted. */
    public List<String> searchPersons() {
        return searchList.get();
    }
}
