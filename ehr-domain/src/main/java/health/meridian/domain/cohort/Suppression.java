package health.meridian.domain.cohort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-cell suppression for published aggregates. A count of 1..4 is shown as "&lt;5" (0 is shown: an empty
 * cell reveals no one). In a breakdown, if exactly one cell of a dimension is suppressed, the smallest other
 * non-zero cell is suppressed too (complementary suppression), so the total minus the shown cells cannot reveal
 * the hidden one; when the total itself is suppressed, every non-zero cell is. The two cells of a complementary
 * pair are both published as "suppressed" (issue #20): the complement is usually 5 or more, so "&lt;5" would state a
 * range it is not in, and labelling only it would tell which of the two is the small one.
 */
public final class Suppression {

    public static final int THRESHOLD = 5;
    public static final String SMALL = "<5";
    public static final String SUPPRESSED = "suppressed";

    private Suppression() {
    }

    public static boolean small(long count) {
        return count > 0 && count < THRESHOLD;
    }

    /** The published form of a count: the number, or "&lt;5". */
    public static Object publish(long count) {
        return small(count) ? SMALL : count;
    }

    /**
     * Whether the parts of a comparison (in both, only in A, only in B) are all hidden: when any of them is 1..4
     * (or, after a change between the evaluations, negative). They hide together because the two cohorts' sizes are
     * published beside them (size of A minus "both" would give "only A" back); the sizes alone do not.
     */
    public static boolean jointlyHidden(long... parts) {
        for (long part : parts) {
            if (small(part) || part < 0) {
                return true;
            }
        }
        return false;
    }

    /** The published cells of one dimension (same order), given the total of the cohort. */
    public static Map<String, Object> dimension(Map<String, Long> cells, long total) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> hidden = new ArrayList<>();
        cells.forEach((k, v) -> {
            boolean hide = small(v) || (small(total) && v > 0);
            out.put(k, hide ? SMALL : v);
            if (hide) {
                hidden.add(k);
            }
        });
        if (hidden.size() == 1) {
            cells.entrySet().stream().filter(e -> e.getValue() > 0 && !hidden.contains(e.getKey()))
                    .min(Comparator.comparingLong(Map.Entry<String, Long>::getValue).thenComparing(Map.Entry::getKey))
                    .ifPresent(e -> {
                        out.put(e.getKey(), SUPPRESSED);
                        out.put(hidden.get(0), SUPPRESSED);
                    });
        }
        return out;
    }
}
