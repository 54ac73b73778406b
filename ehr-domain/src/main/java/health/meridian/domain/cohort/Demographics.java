package health.meridian.domain.cohort;

import java.util.List;
import java.util.Set;

/**
 * Demographic conditions (all that are given must hold): gender, age in whole years at the index date (inclusive
 * bounds), and where the person is a patient: institutions, or institutions in countries/regions.
 */
public record Demographics(String gender, Integer minAge, Integer maxAge, List<String> institutions,
                           List<String> countries, List<String> regions) {

    private static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");

    public Demographics {
        institutions = institutions == null ? List.of() : List.copyOf(institutions);
        countries = countries == null ? List.of() : List.copyOf(countries);
        regions = regions == null ? List.of() : List.copyOf(regions);
        if (gender != null && !GENDERS.contains(gender)) {
            throw new InvalidCohortException("EHR-0814 gender is one of male, female, other, unknown: " + gender);
        }
        if ((minAge != null && (minAge < 0 || minAge > 150)) || (maxAge != null && (maxAge < 0 || maxAge > 150))
                || (minAge != null && maxAge != null && minAge > maxAge)) {
            throw new InvalidCohortException("EHR-0815 ages are 0..150 and minAge <= maxAge");
        }
        if (gender == null && minAge == null && maxAge == null && institutions.isEmpty() && countries.isEmpty()
                && regions.isEmpty()) {
            throw new InvalidCohortException("EHR-0816 a demographics criterion states at least one condition");
        }
    }
}
