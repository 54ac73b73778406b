package health.meridian.search.params;

import health.meridian.search.Folding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the values of one resource's search parameters into the index document's fields. */
final class IndexedValues {

    private static final int MAX_KEYWORD = 2000;

    private final Set<String> tokens = new LinkedHashSet<>();
    private final Set<String> tokenText = new LinkedHashSet<>();
    private final Set<String> strings = new LinkedHashSet<>();
    private final Set<String> exact = new LinkedHashSet<>();
    private final Set<String> refs = new LinkedHashSet<>();
    private final Set<String> uris = new LinkedHashSet<>();
    private final Set<String> present = new LinkedHashSet<>();
    private final List<Map<String, Object>> dates = new ArrayList<>();
    private final List<Map<String, Object>> numbers = new ArrayList<>();
    private final Map<String, String> sortKeys = new LinkedHashMap<>();

    void token(String param, String system, String code) {
        if (code == null || code.isBlank()) {
            return;
        }
        present(param);
        tokens.add(key(param, code));
        if (system == null || system.isBlank()) {
            tokens.add(key(param, "|" + code));
        } else {
            tokens.add(key(param, system + "|" + code));
            tokens.add(key(param, system + "|"));
        }
        sortKey(param, code);
    }

    /** A composite's part ({@code name$first}) is no parameter of its own: neither present nor sortable. */
    void present(String param) {
        if (param.indexOf('$') < 0) {
            present.add(param);
        }
    }

    private void sortKey(String param, String key) {
        if (param.indexOf('$') < 0) {
            sortKeys.putIfAbsent(param, key);
        }
    }

    /** The token forms ({@code system|code}, {@code code}, …) collected for {@code param}. */
    java.util.List<String> tokenForms(String param) {
        String prefix = IndexFields.key(param, "");
        return tokens.stream().filter(t -> t.startsWith(prefix)).map(t -> t.substring(prefix.length())).toList();
    }

    /** Text of a token: indexed from the start of each word, so {@code :text=a1c} finds "Hemoglobin A1c". */
    void tokenText(String param, String text) {
        String folded = Folding.fold(text);
        if (folded == null || folded.isEmpty()) {
            return;
        }
        tokenText.add(key(param, folded));
        for (int i = 1; i < folded.length(); i++) {
            if (!Character.isLetterOrDigit(folded.charAt(i - 1)) && Character.isLetterOrDigit(folded.charAt(i))) {
                tokenText.add(key(param, folded.substring(i)));
            }
        }
    }

    void string(String param, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        present(param);
        strings.add(key(param, Folding.fold(value)));
        exact.add(key(param, value));
        sortKey(param, Folding.fold(value));
    }

    void reference(String param, String type, String id, String literal) {
        present(param);
        if (type != null && id != null) {
            refs.add(key(param, type + "/" + id));
            refs.add(key(param, id));
        }
        if (literal != null) {
            refs.add(key(param, literal));
        }
    }

    void uri(String param, String value) {
        if (value != null && !value.isBlank()) {
            present(param);
            uris.add(key(param, value));
        }
    }

    void date(String param, FhirDates.Span span) {
        if (span == null || (span.low() == null && span.high() == null)) {
            return;
        }
        present(param);
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("gte", span.low());
        range.put("lte", span.high());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("n", param);
        d.put("r", range);
        d.put("lo", span.low());
        d.put("hi", span.high());
        dates.add(d);
    }

    void number(String param, BigDecimal value, String system, String code, String unit) {
        if (value == null) {
            return;
        }
        present(param);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("n", param);
        n.put("v", value.doubleValue());
        n.put("s", system);
        n.put("c", code);
        n.put("u", unit);
        String ucumCode = code != null ? code : unit;
        if (system == null || Ucum.SYSTEM.equals(system)) {
            Ucum.canonical(value, ucumCode).ifPresent(c -> {
                n.put("cv", c.value());
                n.put("cu", c.unit());
            });
        }
        numbers.add(n);
    }

    Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(IndexFields.TOKEN, List.copyOf(tokens));
        out.put(IndexFields.TOKEN_TEXT, List.copyOf(tokenText));
        out.put(IndexFields.STRING, List.copyOf(strings));
        out.put(IndexFields.STRING_EXACT, List.copyOf(exact));
        out.put(IndexFields.REFERENCE, List.copyOf(refs));
        out.put(IndexFields.URI, List.copyOf(uris));
        out.put(IndexFields.PRESENT, List.copyOf(present));
        out.put(IndexFields.DATE, dates);
        out.put(IndexFields.NUMBER, numbers);
        out.put(IndexFields.SORT, sortKeys.entrySet().stream()
                .map(e -> Map.<String, Object>of("n", e.getKey(), "k", e.getValue())).toList());
        return out;
    }

    private static String key(String param, String value) {
        String k = IndexFields.key(param, value);
        return k.length() > MAX_KEYWORD ? k.substring(0, MAX_KEYWORD) : k;
    }
}
