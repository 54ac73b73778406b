package health.meridian.domain.cohort;

import java.util.List;

/** Persons with a record matching {@code then} within {@code withinDays} days (0..N, by UTC day) after one matching {@code first}. */
public record Sequence(Criterion first, Criterion then, int withinDays) implements CohortNode {

    public static final int MAX_DAYS = 36_500;

    public Sequence {
        if (first == null || then == null) {
            throw new InvalidCohortException("EHR-0810 a temporal relation needs a first and a then criterion");
        }
        if (first.type() == CriterionType.DEMOGRAPHICS || then.type() == CriterionType.DEMOGRAPHICS) {
            throw new InvalidCohortException("EHR-0811 a temporal relation relates dated records, not demographics");
        }
        if (withinDays < 0 || withinDays > MAX_DAYS) {
            throw new InvalidCohortException("EHR-0812 withinDays must be between 0 and " + MAX_DAYS);
        }
    }

    @Override
    public List<String> leaves() {
        return List.of("sequence(" + first.leaves().get(0) + " then " + then.leaves().get(0) + " within "
                + withinDays + ")");
    }
}
