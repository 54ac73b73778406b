package health.meridian.domain.access;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a grant covers: {@code all} (everything, sensitive categories included), {@code exclude-sensitive}
 * (everything without a sensitive label), or {@code categories} (everything without a sensitive label, plus the
 * listed sensitive categories). Mirrors {@code meridian_grant_admits} in V3.
 */
public record GrantScope(String kind, Set<String> categories) {

    public static final String ALL = "all";
    public static final String EXCLUDE_SENSITIVE = "exclude-sensitive";
    public static final String CATEGORIES = "categories";

    public GrantScope {
        if (!List.of(ALL, EXCLUDE_SENSITIVE, CATEGORIES).contains(kind)) {
            throw new IllegalArgumentException("EHR-0603 scope must be all, exclude-sensitive or categories: " + kind);
        }
        categories = categories == null ? Set.of() : Set.copyOf(categories);
        if (CATEGORIES.equals(kind) && categories.isEmpty()) {
            throw new IllegalArgumentException("EHR-0604 scope categories needs at least one category");
        }
        if (!SensitiveCategory.CODES.containsAll(categories)) {
            throw new IllegalArgumentException("EHR-0605 unknown sensitive category in " + categories);
        }
        if (!CATEGORIES.equals(kind) && !categories.isEmpty()) {
            throw new IllegalArgumentException("EHR-0606 categories are only allowed with scope categories");
        }
    }

    /** Whether a record with these security labels is covered. */
    public boolean admits(List<String> labels) {
        Set<String> sensitive = SensitiveCategory.in(labels);
        return ALL.equals(kind) || sensitive.isEmpty()
                || CATEGORIES.equals(kind) && categories.containsAll(sensitive);
    }

    String categoriesText() {
        return String.join(",", new TreeSet<>(categories));
    }
}
