package health.meridian.web.cohort;

import health.meridian.domain.cohort.Suppression;
import health.meridian.domain.search.CohortIndex.PatientFacts;
import java.time.LocalDate;
import java.time.Period;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The breakdowns of a cohort, each cell a number of persons: age band at the index date, gender, institution
 * (a person registered at two institutions counts in both) and year of the earliest record matching the anchor
 * criterion ("none" for persons who entered through another branch); published with {@link Suppression} per
 * dimension.
 */
final class Breakdowns {

    static final List<String> AGE_BANDS = List.of("0-17", "18-39", "40-64", "65-79", "80+", "unknown");
    static final List<String> GENDERS = List.of("female", "male", "other", "unknown");

    private Breakdowns() {
    }

    static Map<String, Map<String, Long>> of(Set<String> persons, Map<String, List<PatientFacts>> patients,
                                             Map<String, Integer> entryYears, LocalDate indexDate) {
        Map<String, Long> year = new TreeMap<>();
        Map<String, Long> age = zero(AGE_BANDS);
        Map<String, Long> gender = zero(GENDERS);
        Map<String, Long> institution = new TreeMap<>();
        for (String person : persons) {
            List<PatientFacts> records = patients.getOrDefault(person, List.of());
            PatientFacts first = records.stream().min(Comparator.comparing(PatientFacts::tenant,
                    Comparator.nullsLast(Comparator.naturalOrder()))).orElse(null);
            LocalDate birth = records.stream().map(PatientFacts::birthDate).filter(Objects::nonNull).findFirst()
                    .orElse(null);
            age.merge(band(birth, indexDate), 1L, Long::sum);
            String g = first == null || first.gender() == null ? "unknown" : first.gender();
            gender.merge(GENDERS.contains(g) ? g : "unknown", 1L, Long::sum);
            records.stream().map(PatientFacts::tenant).filter(Objects::nonNull).distinct()
                    .forEach(t -> institution.merge(t, 1L, Long::sum));
            Integer y = entryYears.get(person);
            year.merge(y == null ? "none" : String.valueOf(y), 1L, Long::sum);
        }
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        out.put("ageBand", age);
        out.put("gender", gender);
        out.put("institution", institution);
        if (!entryYears.isEmpty()) {
            out.put("year", year);
        }
        return out;
    }

    static Map<String, Map<String, Object>> published(Map<String, Map<String, Long>> cells, long total) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        cells.forEach((dimension, values) -> out.put(dimension, Suppression.dimension(values, total)));
        return out;
    }

    static String band(LocalDate birth, LocalDate indexDate) {
        if (birth == null || birth.isAfter(indexDate)) {
            return "unknown";
        }
        int age = Period.between(birth, indexDate).getYears();
        return age < 18 ? "0-17" : age < 40 ? "18-39" : age < 65 ? "40-64" : age < 80 ? "65-79" : "80+";
    }

    private static Map<String, Long> zero(List<String> keys) {
        Map<String, Long> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, 0L));
        return m;
    }
}
