package health.meridian.web.cohort;

import health.meridian.domain.cohort.CohortDefinition;
import java.util.List;
import java.util.Map;

/**
 * One evaluation: the definition, the number of persons found, per breakdown dimension the persons per cell (not
 * yet suppressed), the patient references listed (only for a tenant admin's patient list, else empty) and the
 * time taken.
 */
record CohortRun(CohortDefinition definition, long count, Map<String, Map<String, Long>> breakdowns,
                 List<String> patientRefs, long tookMs, boolean consentedOnly) {

    CohortRun withPatients(List<String> refs) {
        return new CohortRun(definition, count, breakdowns, List.copyOf(refs), tookMs, consentedOnly);
    }
}
