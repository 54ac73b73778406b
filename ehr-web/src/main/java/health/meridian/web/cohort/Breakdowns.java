package health.meridian.web.cohort;

import health.meridian.domain.cohort.Suppression;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The breakdowns of a cohort, each cell a number of persons counted by the cohort index: age band at the index
 * date, gender, institution (a person registered at two institutions counts in both) and year of the earliest
 * record matching the anchor criterion ("none" for persons who entered through another branch); published with
 * {@link Suppression} per dimension.
 */
final class Breakdowns {

    private Breakdowns() {
    }

    static Map<String, Map<String, Object>> published(Map<String, Map<String, Long>> cells, long total) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        cells.forEach((dimension, values) -> out.put(dimension, Suppression.dimension(values, total)));
        return out;
    }
}
