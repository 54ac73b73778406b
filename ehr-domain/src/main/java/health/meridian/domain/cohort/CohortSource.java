package health.meridian.domain.cohort;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * Where a cohort's person sets come from (the search mirror), already restricted to what the caller may count.
 * Persons are the cross-institution person ids.
 */
public interface CohortSource {

    /** Every person with a patient record in scope (the universe NOT is taken against). */
    Set<String> population();

    /** Persons with a record matching the criterion (not demographics) at this index date. */
    Set<String> persons(Criterion criterion, LocalDate indexDate);

    /** Per person, the sorted UTC epoch days of the records matching the criterion (for temporal relations). */
    Map<String, int[]> days(Criterion criterion, LocalDate indexDate);

    /** Persons of the population whose patient record satisfies the demographics at this index date. */
    Set<String> demographics(Demographics demographics, LocalDate indexDate);
}
