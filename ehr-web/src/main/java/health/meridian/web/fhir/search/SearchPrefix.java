package health.meridian.web.fhir.search;

import java.util.Set;

/** An R4 comparison prefix (eq, ne, gt, lt, ge, le, sa, eb, ap) split off an ordered parameter value. */
record SearchPrefix(String prefix, String value) {

    private static final Set<String> PREFIXES = Set.of("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap");

    static SearchPrefix of(String raw) {
        if (raw.length() > 2 && PREFIXES.contains(raw.substring(0, 2)) && !Character.isLetter(raw.charAt(2))) {
            return new SearchPrefix(raw.substring(0, 2), raw.substring(2));
        }
        return new SearchPrefix("eq", raw);
    }
}
