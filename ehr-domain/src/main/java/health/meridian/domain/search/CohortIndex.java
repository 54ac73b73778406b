package health.meridian.domain.search;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Port to the search mirror for population queries. Every query is a scoped {@link RecordQuery}: the scope is
 * applied first, exactly as for FHIR search, and the criteria only narrow it.
 */
public interface CohortIndex {

    /** Distinct persons of the records matching the query. */
    Set<String> persons(RecordQuery query) throws IndexUnavailableException;

    /** Per person, the sorted distinct UTC epoch days of the effective times of the records matching the query. */
    Map<String, int[]> days(RecordQuery query) throws IndexUnavailableException;

    /** The patient records matching the query (type Patient), with what breakdowns and demographics need. */
    List<PatientFacts> patients(RecordQuery query) throws IndexUnavailableException;

    /** One patient record: its person, institution, reference, gender and birth date (either may be null). */
    record PatientFacts(String person, String tenant, String patientRef, String gender, LocalDate birthDate) {
    }
}
