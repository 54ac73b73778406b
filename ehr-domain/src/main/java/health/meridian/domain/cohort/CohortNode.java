package health.meridian.domain.cohort;

/** A node of a cohort definition: a criterion, a group (AND/OR/NOT) or a temporal sequence. */
public sealed interface CohortNode permits Criterion, Group, Sequence {

    /** The criteria at the leaves, in order (for the differencing check and for auditing). */
    java.util.List<String> leaves();
}
