package health.meridian.web.cohort;

import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.PersonSetSketch;
import java.util.List;
import java.util.Map;

/**
 * One evaluation: the definition, the number of persons found, per breakdown dimension the persons per cell (not
 * yet suppressed), the patient references listed (only for a tenant admin's patient list, else empty), the
 * time taken and, once the differencing guard admitted it, the sketch of the persons counted (else null) and the
 * time the guard took (paging the persons' ids, judging).
 */
record CohortRun(CohortDefinition definition, long count, Map<String, Map<String, Long>> breakdowns,
                 List<String> patientRefs, long tookMs, boolean consentedOnly, PersonSetSketch persons,
                 long guardMs) {

    CohortRun withPatients(List<String> refs) {
        return new CohortRun(definition, count, breakdowns, List.copyOf(refs), tookMs, consentedOnly, persons, guardMs);
    }

    CohortRun withPersons(PersonSetSketch sketch, long ms) {
        return new CohortRun(definition, count, breakdowns, patientRefs, tookMs, consentedOnly, sketch, ms);
    }
}
