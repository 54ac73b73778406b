package health.meridian.web.export;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.record.ResourceCatalogue;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.web.fhir.search.SearchTranslator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code _typeFilter} of a bulk export (Bulk Data Access IG v2): {@code Type?search-parameters}, a FHIR search
 * of one type. The records of a type with filters are exported when they match one of them (ORed); a type without
 * filters is exported whole. The parameters are those of the type's FHIR search ({@link SearchTranslator}); each is
 * checked at kick-off, so a filter the server cannot apply is refused there, never silently ignored.
 */
public record TypeFilter(String type, Map<String, String[]> params, String query) {

    /** Search controls that shape a result page, not which records match: refused in a filter. */
    static final Set<String> CONTROLS = Set.of("_count", "_sort", "_include", "_revinclude", "_summary", "_elements",
            "_format", "_pretty", "_getpages", "_pageId", "_total", "_consistency", "_include:iterate",
            "_revinclude:iterate", "_contained", "_containedType");

    public TypeFilter {
        params = Map.copyOf(params);
    }

    /**
     * The filters of the {@code _typeFilter} values (each may hold several, comma-separated; a comma inside a search
     * value is kept when the next text does not start a new {@code Type?}), each checked: well formed
     * ({@code EHR-1142}), of a type the server exports and, when {@code _type} is given, one of its types
     * ({@code EHR-1143}), every parameter one the type's FHIR search can apply, with a valid value ({@code EHR-1144}).
     */
    public static List<TypeFilter> parseAll(List<String> values, Collection<String> types,
                                            ResourceCatalogue catalogue) {
        List<TypeFilter> filters = new ArrayList<>();
        for (String value : values) {
            for (String one : value.split(",(?=\\s*[A-Z][A-Za-z]*\\?)")) {
                if (!one.isBlank()) {
                    filters.add(parse(one.trim()).checked(types, catalogue));
                }
            }
        }
        return List.copyOf(filters);
    }

    /** One filter's syntax: {@code Type?name=value&name=value}, names and values URL-decoded. */
    public static TypeFilter parse(String filter) {
        int q = filter.indexOf('?');
        if (q <= 0 || q == filter.length() - 1 || !filter.substring(0, q).matches("[A-Z][A-Za-z]{1,63}")) {
            throw malformed(filter, "it must be Type?parameter=value");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : filter.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (pair.isEmpty()) {
                continue;
            }
            if (eq <= 0 || eq == pair.length() - 1) {
                throw malformed(filter, "'" + pair + "' is not parameter=value");
            }
            params.computeIfAbsent(decode(filter, pair.substring(0, eq)), k -> new ArrayList<>())
                    .add(decode(filter, pair.substring(eq + 1)));
        }
        if (params.isEmpty()) {
            throw malformed(filter, "it has no search parameter");
        }
        Map<String, String[]> arrays = new LinkedHashMap<>();
        params.forEach((k, v) -> arrays.put(k, v.toArray(String[]::new)));
        return new TypeFilter(filter.substring(0, q), arrays, filter);
    }

    /**
     * The filter's criteria as the type's FHIR search translates them; chains and {@code _has} run their searches
     * through {@code joins} (in the export, under the job caller's scope).
     */
    public List<Criterion> criteria(SearchTranslator.Joins joins) {
        return new SearchTranslator(type, joins).translate(params);
    }

    private TypeFilter checked(Collection<String> types, ResourceCatalogue catalogue) {
        if (!catalogue.isServed(type)) {
            throw new IllegalArgumentException("EHR-1143 _typeFilter " + query + " names " + type
                    + ", which is not a resource type this server exports");
        }
        if (!types.isEmpty() && !types.contains(type)) {
            throw new IllegalArgumentException("EHR-1143 _typeFilter " + query + " names " + type
                    + ", which is not one of the types of _type");
        }
        for (String name : params.keySet()) {
            if (name.startsWith("_has:")) {
                throw new IllegalArgumentException("EHR-1144 _typeFilter " + query + ": _has is not applied in an"
                        + " export filter");
            }
            if (CONTROLS.contains(name)) {
                throw new IllegalArgumentException("EHR-1144 _typeFilter " + query + ": " + name
                        + " is a result control, not a search parameter; it cannot filter an export");
            }
        }
        try {
            criteria(NO_JOINS);
        } catch (InvalidRequestException | IllegalArgumentException e) {
            throw new IllegalArgumentException("EHR-1144 _typeFilter " + query + " cannot be applied: "
                    + e.getMessage());
        }
        return this;
    }

    /** At kick-off a filter is only checked: its chains and {@code _has} are not run. */
    private static final SearchTranslator.Joins NO_JOINS = new SearchTranslator.Joins() {
        @Override
        public List<String> matching(String type, String key, String value) {
            return List.of();
        }

        @Override
        public List<String> referencedBy(String type, String refParam, String key, String value) {
            return List.of();
        }
    };

    private static String decode(String filter, String s) {
        try {
            // a '+' here arrived as %2B (the container already turned a bare '+' into a space): it stays a plus
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed(filter, "bad URL encoding in '" + s + "'");
        }
    }

    private static IllegalArgumentException malformed(String filter, String why) {
        return new IllegalArgumentException("EHR-1142 malformed _typeFilter '" + filter + "': " + why);
    }
}
