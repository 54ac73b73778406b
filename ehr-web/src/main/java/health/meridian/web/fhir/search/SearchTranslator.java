package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery.AnyOf;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.FullText;
import health.meridian.domain.search.RecordQuery.Not;
import health.meridian.domain.search.RecordQuery.Prefix;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.domain.search.RecordQuery.Wildcard;
import health.meridian.search.Folding;
import health.meridian.search.params.IndexFields;
import health.meridian.search.params.SearchParamCatalogue.Kind;
import health.meridian.search.params.SearchParamCatalogue.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Translates FHIR search parameters (name, modifier, prefixes, comma-separated ORs, repetitions ANDed) into mirror
 * criteria with R4 semantics. Chains ({@code subject:Patient.name=x}), {@code _has} and the medication code of a
 * referenced Medication need searches of their own: {@link Joins} runs them (under the caller's scope).
 */
public final class SearchTranslator {

    static final Set<String> CONTROL = Set.of("_count", "_sort", "_include", "_revinclude", "_summary", "_elements",
            "_format", "_pretty", "_getpages", "_pageId", "_total", "_consistency", "_include:iterate",
            "_revinclude:iterate");

    /** Types whose {@code code} also matches the code of a referenced Medication. */
    private static final Set<String> MEDICATION_USES = Set.of("MedicationRequest", "MedicationAdministration",
            "MedicationDispense", "MedicationStatement");

    /** Searches a criterion needs to run first (each under the caller's scope). */
    public interface Joins {
        /** {@code Type/id} of the resources of {@code type} matching {@code key=value} (at most 1,000). */
        List<String> matching(String type, String key, String value);

        /** The {@code Type/id} targets of reference {@code refParam} of {@code type} resources matching key=value. */
        List<String> referencedBy(String type, String refParam, String key, String value);
    }

    private final String type;
    private final Joins joins;

    public SearchTranslator(String type, Joins joins) {
        this.type = type;
        this.joins = joins;
    }

    public List<Criterion> translate(Map<String, String[]> parameters) {
        List<Criterion> criteria = new ArrayList<>();
        for (var entry : parameters.entrySet()) {
            if (!CONTROL.contains(entry.getKey())) {
                for (String value : entry.getValue()) {
                    criteria.add(criterion(entry.getKey(), value));
                }
            }
        }
        return criteria;
    }

    /** One repetition of a parameter, {@code key} being {@code name[:modifier]} or a chain or {@code _has:…}. */
    public Criterion criterion(String key, String raw) {
        if (key.startsWith("_has:")) {
            return has(key, raw);
        }
        if (key.indexOf('.') > 0) {
            return ReferenceCriteria.chain(type, key, raw, joins);
        }
        int colon = key.indexOf(':');
        String name = colon < 0 ? key : key.substring(0, colon);
        String modifier = colon < 0 ? null : key.substring(colon + 1);
        Param param = SearchParameters.require(type, name);
        List<String> values = Arrays.stream(raw.split("(?<!\\\\),")).map(v -> v.replace("\\,", ","))
                .filter(v -> !v.isBlank()).toList();
        if (values.isEmpty()) {
            throw new InvalidRequestException("EHR-0503 empty value for parameter '" + key + "'");
        }
        if ("missing".equals(modifier)) {
            return missing(param, values.get(0));
        }
        return switch (param.kind()) {
            case TOKEN -> "_id".equals(name) ? id(modifier, values) : token(param, modifier, values);
            case STRING -> string(param, modifier, values);
            case URI -> uri(param, modifier, values);
            case DATE -> ordered(param, modifier, values, v -> ValueCriteria.date(name, v));
            case NUMBER -> ordered(param, modifier, values, v -> ValueCriteria.number(name, v, false));
            case QUANTITY -> ordered(param, modifier, values, v -> ValueCriteria.number(name, v, true));
            case REFERENCE -> ReferenceCriteria.reference(type, param, modifier, values);
            case TEXT -> text(param, modifier, raw);
            case COMPOSITE -> composite(param, modifier, values);
            default -> throw new InvalidRequestException("EHR-0531 search parameter '" + name + "' is not supported");
        };
    }

    private Criterion token(Param param, String modifier, List<String> values) {
        if ("text".equals(modifier)) {
            return new AnyOf(values.stream().<Criterion>map(v -> new Prefix(
                    IndexFields.TOKEN_TEXT, IndexFields.key(param.name(), Folding.fold(v))))
                    .toList());
        }
        Criterion match = new Term(IndexFields.TOKEN, values.stream().map(v -> IndexFields.key(param.name(), v))
                .toList());
        if ("code".equals(param.name()) && MEDICATION_USES.contains(type) && modifier == null) {
            List<String> meds = new ArrayList<>();
            values.forEach(v -> meds.addAll(joins.matching("Medication", "code", v)));
            if (!meds.isEmpty()) {
                match = new AnyOf(List.of(match, new Term(IndexFields.REFERENCE,
                        meds.stream().map(m -> IndexFields.key("medication", m)).toList())));
            }
        }
        if (modifier == null) {
            return match;
        }
        if ("not".equals(modifier)) {
            return new Not(match);
        }
        throw unsupportedModifier(param, modifier, ":text, :not, :missing");
    }

    private static Criterion id(String modifier, List<String> values) {
        Criterion match = new Term("id", values);
        if (modifier == null) {
            return match;
        }
        if ("not".equals(modifier)) {
            return new Not(match);
        }
        throw new InvalidRequestException("EHR-0504 unsupported modifier :" + modifier + " on _id");
    }

    private static Criterion string(Param param, String modifier, List<String> values) {
        String n = param.name();
        if (modifier == null) {
            return new Prefix(IndexFields.STRING,
                    values.stream().map(v -> IndexFields.key(n, Folding.fold(v))).toList());
        }
        if ("exact".equals(modifier)) {
            return new Term(IndexFields.STRING_EXACT, values.stream().map(v -> IndexFields.key(n, v)).toList());
        }
        if ("contains".equals(modifier)) {
            return new AnyOf(values.stream().<Criterion>map(v -> new Wildcard(
                    IndexFields.STRING, IndexFields.key(n, "*" + escapeWildcard(
                            Folding.fold(v)) + "*"))).toList());
        }
        throw unsupportedModifier(param, modifier, ":exact, :contains, :missing");
    }

    private static Criterion uri(Param param, String modifier, List<String> values) {
        List<String> keys = values.stream().map(v -> IndexFields.key(param.name(), v)).toList();
        if (modifier == null) {
            return new Term(IndexFields.URI, keys);
        }
        if ("below".equals(modifier)) {
            return new Prefix(IndexFields.URI, keys);
        }
        throw unsupportedModifier(param, modifier, ":below, :missing");
    }

    private static Criterion ordered(Param param, String modifier, List<String> values,
                                     Function<String, Criterion> one) {
        if (modifier != null) {
            throw unsupportedModifier(param, modifier, ":missing");
        }
        List<Criterion> any = values.stream().map(one).toList();
        return any.size() == 1 ? any.get(0) : new AnyOf(any);
    }

    /**
     * {@code first$second} (e.g. {@code http://loinc.org|8480-6$gt100}): the second component's criterion on the
     * values indexed under {@code name$first}, i.e. paired with that token in the same element.
     */
    private Criterion composite(Param param, String modifier, List<String> values) {
        if (modifier != null) {
            throw unsupportedModifier(param, modifier, ":missing");
        }
        Param second = SearchParameters.require(type, param.components().get(1));
        List<Criterion> any = new ArrayList<>();
        for (String v : values) {
            int dollar = v.indexOf('$');
            if (dollar <= 0 || dollar == v.length() - 1) {
                throw new InvalidRequestException("EHR-0533 a composite value is first$second (e.g."
                        + " http://loinc.org|8480-6$gt100), got '" + v + "' for " + param.name());
            }
            String name = param.name() + "$" + v.substring(0, dollar);
            any.add(component(second, name, v.substring(dollar + 1)));
        }
        return any.size() == 1 ? any.get(0) : new AnyOf(any);
    }

    private static Criterion component(Param second, String name, String raw) {
        return switch (second.kind()) {
            case TOKEN -> new Term(IndexFields.TOKEN, IndexFields.key(name, raw));
            case STRING -> new Prefix(IndexFields.STRING,
                    IndexFields.key(name, Folding.fold(raw)));
            case URI -> new Term(IndexFields.URI, IndexFields.key(name, raw));
            case DATE -> ValueCriteria.date(name, raw);
            case NUMBER -> ValueCriteria.number(name, raw, false);
            default -> ValueCriteria.number(name, raw, true);
        };
    }

    private static Criterion text(Param param, String modifier, String raw) {
        if (modifier != null) {
            throw unsupportedModifier(param, modifier, "none");
        }
        return new FullText(raw);
    }

    private static Criterion missing(Param param, String value) {
        if (!Set.of("true", "false").contains(value)) {
            throw new InvalidRequestException("EHR-0503 :missing takes true or false, got '" + value + "'");
        }
        if (param.kind() == Kind.TEXT || "_id".equals(param.name())) {
            throw unsupportedModifier(param, "missing", "none");
        }
        Criterion present = new Term(IndexFields.PRESENT, param.name());
        return "true".equals(value) ? new Not(present) : present;
    }

    /** Nested {@code _has} levels at most ({@code _has:A:r:_has:B:r2:p=v} has two). */
    static final int MAX_HAS_LEVELS = 3;

    /**
     * {@code _has:Type:refParam:param=value}: resources of this type that a matching {@code Type} refers to; the
     * parameter may itself be a {@code _has} (nested, resolved by that type's own translation, a scoped search per
     * level) or a chain.
     */
    private Criterion has(String key, String raw) {
        String[] parts = key.split(":", 4);
        if (parts.length < 4 || parts[3].isBlank()) {
            throw new InvalidRequestException("EHR-0532 _has takes _has:Type:reference:parameter=value, got '" + key
                    + "'");
        }
        if (key.split("_has:", -1).length - 1 > MAX_HAS_LEVELS) {
            throw new InvalidRequestException("EHR-0532 _has nested more than " + MAX_HAS_LEVELS + " levels is not"
                    + " supported: '" + key + "'");
        }
        Param ref = SearchParameters.require(parts[1], parts[2]);
        if (ref.kind() != Kind.REFERENCE) {
            throw new InvalidRequestException("EHR-0532 _has: " + parts[1] + ":" + parts[2] + " is not a reference");
        }
        List<String> ids = joins.referencedBy(parts[1], parts[2], parts[3], raw).stream()
                .filter(r -> r.startsWith(type + "/")).map(r -> r.substring(type.length() + 1)).toList();
        return new Term("id", ids.isEmpty() ? List.of("-none-") : ids);
    }

    static InvalidRequestException unsupportedModifier(Param param, String modifier, String supported) {
        return new InvalidRequestException("EHR-0504 unsupported modifier :" + modifier + " on " + param.name()
                + " (" + param.kind().name().toLowerCase() + "); supported: " + supported);
    }

    private static String escapeWildcard(String v) {
        return v.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
    }
}
