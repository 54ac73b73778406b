package health.meridian.search.params;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The search parameters of each resource type, taken from the R4 SearchParameter definitions HAPI's
 * {@link FhirContext} carries (name, type, FHIRPath expression, reference targets) — not from a hand-written list.
 * Each one is either supported (indexed by {@link SearchParamIndexer}, translated by the FHIR search adapter) or
 * refused with the reason; the CapabilityStatement lists exactly the supported ones.
 */
public final class SearchParamCatalogue {

    /** How a parameter's values are indexed and compared (R4 search parameter types, plus full text). */
    public enum Kind { TOKEN, STRING, DATE, REFERENCE, QUANTITY, NUMBER, URI, TEXT, COMPOSITE, SPECIAL }

    /**
     * One parameter of one type.
     *
     * @param components the names of a composite's component parameters (of the same type), else empty
     * @param refusal null when supported; otherwise why Meridian refuses it (shown in the OperationOutcome)
     */
    public record Param(String name, Kind kind, String expression, List<String> targets, String description,
                        String url, List<String> components, String refusal) {
        public boolean supported() {
            return refusal == null;
        }
    }

    /** Parameters that apply to every type, served from the envelope rather than an R4 expression. */
    private static final List<Param> COMMON = List.of(
            new Param("_text", Kind.TEXT, null, List.of(), "Full text of the narrative and names", null, List.of(), null),
            new Param("_content", Kind.TEXT, null, List.of(), "Full text of the resource's indexed text", null,
                    List.of(), null));

    private static final Set<String> PHONETIC = Set.of("phonetic");

    private static final Map<String, Map<String, Param>> CACHE = new ConcurrentHashMap<>();

    private final FhirContext fhir;

    public SearchParamCatalogue(FhirContext fhir) {
        this.fhir = fhir;
    }

    /** Every parameter of the type, supported or refused, by name. */
    public Map<String, Param> of(String type) {
        return CACHE.computeIfAbsent(type, this::load);
    }

    public Optional<Param> find(String type, String name) {
        return Optional.ofNullable(of(type).get(name));
    }

    /** The supported parameters of the type, by name. */
    public List<Param> supported(String type) {
        return of(type).values().stream().filter(Param::supported).sorted(Comparator.comparing(Param::name)).toList();
    }

    private Map<String, Param> load(String type) {
        Map<String, Param> out = new LinkedHashMap<>();
        List<RuntimeSearchParam> params = new ArrayList<>(fhir.getResourceDefinition(type).getSearchParams());
        params.sort(Comparator.comparing(RuntimeSearchParam::getName));
        Map<String, RuntimeSearchParam> byUrl = new LinkedHashMap<>();
        params.forEach(p -> byUrl.put(p.getUri(), p));
        for (RuntimeSearchParam p : params) {
            out.put(p.getName(), param(p, byUrl));
        }
        COMMON.forEach(p -> out.put(p.name(), p));
        return Map.copyOf(out);
    }

    private static Param param(RuntimeSearchParam p, Map<String, RuntimeSearchParam> byUrl) {
        Kind kind = kind(p.getParamType());
        List<String> targets = p.getTargets().stream().sorted().toList();
        List<RuntimeSearchParam> components = p.getComponents().stream().map(c -> byUrl.get(c.getReference()))
                .toList();
        String refusal = kind == Kind.COMPOSITE ? compositeRefusal(components) : refusal(p.getName(), kind);
        return new Param(p.getName(), kind, p.getPath(), targets, p.getDescription(), p.getUri(),
                components.stream().filter(java.util.Objects::nonNull).map(RuntimeSearchParam::getName).toList(),
                refusal);
    }

    /** Supported: a token followed by a token, string, date, number, quantity or uri (all of R4's but two). */
    private static String compositeRefusal(List<RuntimeSearchParam> components) {
        if (components.size() != 2 || components.contains(null)
                || kind(components.get(0).getParamType()) != Kind.TOKEN
                || !Set.of(Kind.TOKEN, Kind.STRING, Kind.DATE, Kind.NUMBER, Kind.QUANTITY, Kind.URI)
                .contains(kind(components.get(1).getParamType()))) {
            return "only composites of a token and a token, string, date, number, quantity or uri are supported";
        }
        return null;
    }

    private static String refusal(String name, Kind kind) {
        if (kind == Kind.SPECIAL) {
            return "special parameters (e.g. Location near) are not supported";
        }
        if (PHONETIC.contains(name)) {
            return "phonetic matching is not supported; use name (starts-with, case- and accent-insensitive)";
        }
        return null;
    }

    private static Kind kind(RestSearchParameterTypeEnum type) {
        return switch (type) {
            case TOKEN -> Kind.TOKEN;
            case STRING -> Kind.STRING;
            case DATE -> Kind.DATE;
            case REFERENCE -> Kind.REFERENCE;
            case QUANTITY -> Kind.QUANTITY;
            case NUMBER -> Kind.NUMBER;
            case URI -> Kind.URI;
            case COMPOSITE -> Kind.COMPOSITE;
            default -> Kind.SPECIAL;
        };
    }
}
