package health.meridian.domain.cohort;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Saved cohorts of the institution the transaction is bound to (row-level security). */
public interface CohortRepository {

    void add(SavedCohort cohort);

    Optional<SavedCohort> find(String id);

    List<SavedCohort> all();

    void recordRun(String id, long count, Instant at);
}
