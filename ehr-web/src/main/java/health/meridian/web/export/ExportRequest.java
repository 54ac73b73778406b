package health.meridian.web.export;

import health.meridian.domain.export.ExportJob;
import health.meridian.domain.record.ResourceCatalogue;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * A validated {@code $export} kick-off (Bulk Data Access IG v2): its level, the Group's id, the types asked
 * ({@code _type}; empty: every type), {@code _since}, and the request URL for the manifest. Bad input is refused with
 * a stable code: the servlet answers it as a 400 OperationOutcome.
 */
public record ExportRequest(ExportJob.Level level, String groupId, List<String> types,
                            List<TypeFilter> typeFilters, Instant since, String requestUrl) {

    static final Set<String> FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

    public ExportRequest {
        types = List.copyOf(types);
        typeFilters = List.copyOf(typeFilters);
    }

    /**
     * Reads the kick-off's parameters (query or a POSTed Parameters body, each name to its values): refuses a missing
     * {@code Prefer: respond-async}, an output format other than ndjson, a type not served, a {@code _since} that is
     * not an instant, a {@code _typeFilter} that is malformed or cannot be applied ({@link TypeFilter#parseAll}; even
     * with {@code Prefer: handling=lenient}: a filter is never dropped, which would widen the export) and the
     * parameters not supported yet.
     */
    public static ExportRequest of(ExportJob.Level level, String groupId, Map<String, List<String>> params,
                                   String prefer, String requestUrl, ResourceCatalogue catalogue) {
        if (prefer == null || !prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async")) {
            throw new IllegalArgumentException("EHR-1130 a bulk export needs the header Prefer: respond-async");
        }
        String format = first(params, "_outputFormat");
        if (format != null && !FORMATS.contains(format.trim())) {
            throw new IllegalArgumentException("EHR-1131 _outputFormat " + format + " is not supported; use"
                    + " application/fhir+ndjson");
        }
        for (String name : List.of("patient", "includeAssociatedData", "_elements")) {
            if (first(params, name) != null) {
                throw new IllegalArgumentException("EHR-1136 " + name + " is not supported by this server yet");
            }
        }
        List<String> types = types(params, catalogue);
        List<TypeFilter> filters = TypeFilter.parseAll(params.getOrDefault("_typeFilter", List.of()), types,
                catalogue);
        return new ExportRequest(level, groupId, types, filters, since(first(params, "_since")), requestUrl);
    }

    private static List<String> types(Map<String, List<String>> params, ResourceCatalogue catalogue) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : params.getOrDefault("_type", List.of())) {
            Arrays.stream(value.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(types::add);
        }
        for (String type : types) {
            if (!catalogue.isServed(type)) {
                throw new IllegalArgumentException("EHR-1132 _type names " + type + ", which is not a resource type"
                        + " this server exports");
            }
        }
        return List.copyOf(types);
    }

    private static Instant since(String since) {
        if (since == null) {
            return null;
        }
        try {
            return new DateTimeType(since.trim()).getValue().toInstant();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("EHR-1137 _since must be an instant such as 2024-01-01T00:00:00Z");
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
