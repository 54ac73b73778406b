package health.meridian.search.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The top-level parts of a FHIRPath union ({@code a | (b as X) | c}), outside parentheses and string literals. */
final class UnionParts {

    private static final Map<String, List<String>> CACHE = new ConcurrentHashMap<>();

    private UnionParts() {
    }

    static List<String> of(String expression) {
        return CACHE.computeIfAbsent(expression, UnionParts::split);
    }

    /**
     * The parts of {@code expression} that start at {@code base} (the longest of {@code bases} they start with),
     * made relative to it: {@code (Observation.value as Quantity)} under base {@code Observation} is
     * {@code (value as Quantity)}; {@code Observation.component.code} belongs to base {@code Observation.component}.
     */
    static List<String> relative(String expression, String base, List<String> bases) {
        List<String> out = new ArrayList<>();
        for (String part : of(expression)) {
            String inner = part.replaceFirst("^\\(+", "");
            String owner = bases.stream().filter(b -> inner.startsWith(b + "."))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
            if (base.equals(owner)) {
                out.add(part.replaceFirst(java.util.regex.Pattern.quote(base + "."), ""));
            }
        }
        return out;
    }

    private static List<String> split(String expression) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == '|') {
                parts.add(expression.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(expression.substring(start).strip());
        return List.copyOf(parts);
    }
}
