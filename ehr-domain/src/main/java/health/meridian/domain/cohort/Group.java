package health.meridian.domain.cohort;

import java.util.ArrayList;
import java.util.List;

/** AND (all), OR (any) or NOT (exactly one child, persons of the population not matching it). */
public record Group(Operator operator, List<CohortNode> children) implements CohortNode {

    public enum Operator { AND, OR, NOT }

    public Group {
        if (operator == null) {
            throw new InvalidCohortException("EHR-0803 a group needs an operator: and, or or not");
        }
        children = children == null ? List.of() : List.copyOf(children);
        if (children.isEmpty()) {
            throw new InvalidCohortException("EHR-0804 a group needs at least one item");
        }
        if (operator == Operator.NOT && children.size() != 1) {
            throw new InvalidCohortException("EHR-0805 a NOT group has exactly one item");
        }
    }

    @Override
    public List<String> leaves() {
        List<String> out = new ArrayList<>();
        children.forEach(c -> out.addAll(c.leaves()));
        return out.stream().map(l -> operator == Operator.NOT ? "not " + l : l).toList();
    }
}
