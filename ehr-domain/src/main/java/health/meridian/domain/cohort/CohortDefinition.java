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

    /**
     * The criterion that dates a person's entry into the cohort (for the "year" breakdown): the first dated
     * criterion met depth-first outside any NOT (a temporal relation's first criterion), if there is one.
     */
    public java.util.Optional<Criterion> anchor() {
        return anchor(root);
    }

    private static java.util.Optional<Criterion> anchor(CohortNode node) {
        if (node instanceof Criterion c) {
            return c.type() == CriterionType.DEMOGRAPHICS ? java.util.Optional.empty() : java.util.Optional.of(c);
        }
        if (node instanceof Sequence s) {
            return java.util.Optional.of(s.first());
        }
        Group g = (Group) node;
        if (g.operator() == Group.Operator.NOT) {
            return java.util.Optional.empty();
        }
        for (CohortNode child : g.children()) {
            java.util.Optional<Criterion> found = anchor(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return java.util.Optional.empty();
    }
}
