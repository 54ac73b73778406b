package health.meridian.domain.cohort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses differencing attacks on aggregate-only callers: a query is refused when, within the last
 * {@link #WINDOW} and {@link #HISTORY} queries by the same user, a query exists whose criteria differ from it by
 * exactly one criterion (one added, removed or changed) and whose count differs by 1..4 persons — the difference
 * would isolate a handful of people. Identical reruns are allowed (they reveal nothing new).
 */
public final class DifferencingGuard {

    public static final Duration WINDOW = Duration.ofHours(24);
    public static final int HISTORY = 100;

    private record Past(List<String> leaves, long count, Instant at) {
    }

    private final Map<String, Deque<Past>> byUser = new ConcurrentHashMap<>();

    /** The reason for refusing, if this query (criteria, count) would isolate persons against a recent one. */
    public Optional<String> check(String user, List<String> leaves, long count, Instant now) {
        Deque<Past> past = byUser.getOrDefault(user, new ArrayDeque<>());
        synchronized (past) {
            for (Past p : past) {
                long delta = Math.abs(p.count() - count);
                if (now.minus(WINDOW).isBefore(p.at()) && delta >= 1 && delta < Suppression.THRESHOLD
                        && differByOne(p.leaves(), leaves)) {
                    return Optional.of("EHR-0830 refused: this query differs from one you ran recently by one"
                            + " criterion and by fewer than " + Suppression.THRESHOLD + " persons");
                }
            }
        }
        return Optional.empty();
    }

    /** Remembers an answered query. */
    public void remember(String user, List<String> leaves, long count, Instant now) {
        Deque<Past> past = byUser.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (past) {
            past.addFirst(new Past(List.copyOf(leaves), count, now));
            while (past.size() > HISTORY) {
                past.removeLast();
            }
        }
    }

    /** True when one multiset of criteria becomes the other by adding, removing or replacing one criterion. */
    static boolean differByOne(List<String> a, List<String> b) {
        List<String> onlyA = new ArrayList<>(a);
        List<String> onlyB = new ArrayList<>();
        for (String x : b) {
            if (!onlyA.remove(x)) {
                onlyB.add(x);
            }
        }
        int removed = onlyA.size();
        int added = onlyB.size();
        return removed + added == 1 || (removed == 1 && added == 1);
    }
}
