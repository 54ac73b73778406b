package health.meridian.web.cohort;

import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.search.CohortIndex.PatientFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One evaluation: the definition, the persons found, the patient records of the scope, and the time taken. */
record CohortRun(CohortDefinition definition, Set<String> persons, Map<String, List<PatientFacts>> patients,
                 long tookMs, boolean consentedOnly) {
}
