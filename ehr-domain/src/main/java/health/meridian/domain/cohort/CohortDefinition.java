package health.meridian.domain.cohort;

import java.time.LocalDate;
import java.util.List;

/**
 * A cohort: the persons satisfying {@code root} at {@code indexDate} (ages and relative windows are measured at
 * the index date). A NOT alone at the top is refused: "everyone except ..." is not a population question.
 */
public record CohortDefinition(LocalDate indexDate, CohortNode root) {

    public static final int MAX_CRITERIA = 50;

    public CohortDefinition {
        if (indexDate == null) {
            throw new InvalidCohortException("EHR-0802 a cohort needs an index date");
        }
        if (root == null) {
            throw new InvalidCohortException("EHR-0801 a cohort needs criteria");
        }
        if (root instanceof Group g && g.operator() == Group.Operator.NOT) {
            throw new InvalidCohortException("EHR-0819 NOT cannot stand alone at the top: combine it with AND");
        }
        if (root instanceof Group g && g.operator() == Group.Operator.AND && g.children().stream()
                .allMatch(c -> c instanceof Group n && n.operator() == Group.Operator.NOT)) {
            throw new InvalidCohortException("EHR-0819 an AND of only NOT groups selects \"everyone except\":"
                    + " add a positive criterion");
        }
        if (root.leaves().size() > MAX_CRITERIA) {
            throw new InvalidCohortException("EHR-0820 at most " + MAX_CRITERIA + " criteria per cohort");
        }
    }

    public List<String> leaves() {
        return root.leaves();
    }
}
