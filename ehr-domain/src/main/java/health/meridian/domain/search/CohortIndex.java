package health.meridian.domain.search;

import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.PersonSetSketch;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import java.util.List;
import java.util.Map;

/**
 * Port to the person cohort index (one document per person) for population queries. A definition is answered by
 * the index itself (counted there, never as person sets in the application: the guard's sketches are built from
 * streamed ids); the population is always the
 * persons with a patient record in {@link Population#tenants()} (and, for researchers, an active research
 * Consent there), and every criterion only looks at records of those institutions.
 */
public interface CohortIndex {

    /** Persons in the cohort and, per breakdown dimension (ageBand, gender, institution, year), persons per cell. */
    Counts count(Population population, CohortDefinition definition) throws IndexUnavailableException;

    /** Persons in both cohorts. */
    long overlap(Population population, CohortDefinition a, CohortDefinition b) throws IndexUnavailableException;

    /**
     * A sketch of the cohort's persons for the differencing guard ({@link PersonSetSketch}: exact for differences of
     * up to 4 persons), built from their ids as they stream past, never held as a set.
     */
    PersonSetSketch persons(Population population, CohortDefinition definition) throws IndexUnavailableException;

    /** The same sketch of the persons in both cohorts. */
    PersonSetSketch personsInBoth(Population population, CohortDefinition a, CohortDefinition b)
            throws IndexUnavailableException;

    /** The references ({@code Patient/id}) of the cohort's patient records at {@code tenant}, sorted. */
    List<String> patients(Population population, CohortDefinition definition, TenantId tenant)
            throws IndexUnavailableException;

    /**
     * Whom a cohort query may count: persons with a patient record at one of {@code tenants} (deny by default: no
     * tenant, nobody), only those with an active research Consent there when {@code researchConsentOnly};
     * {@code institutions} is the registry that turns countries and regions into institutions.
     */
    record Population(List<TenantId> tenants, boolean researchConsentOnly, List<Institution> institutions) {
        public Population {
            tenants = List.copyOf(tenants);
            institutions = List.copyOf(institutions);
        }
    }

    /** The answer before disclosure control: exact numbers of persons. */
    record Counts(long total, Map<String, Map<String, Long>> breakdowns) {
    }
}
