package health.meridian.web.cohort;

import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.search.CohortIndex.PatientFacts;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One evaluation: the definition, the persons found, the patient records of the scope, per person the year of the
 * earliest record matching the definition's anchor criterion, and the time taken.
 */
record CohortRun(CohortDefinition definition, Set<String> persons, Map<String, List<PatientFacts>> patients,
                 Map<String, Integer> entryYears, long tookMs, boolean consentedOnly) {
}
