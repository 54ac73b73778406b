package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.FullText;
import health.meridian.domain.search.RecordQuery.Prefix;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.web.fhir.search.SearchParameters.Param;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates FHIR search parameters (name, modifiers, prefixes, comma-separated ORs) into mirror criteria.
 * Chained parameters ({@code patient.identifier}) are returned separately: they need a search of their own.
 */
public final class SearchTranslator {

    static final Set<String> CONTROL = Set.of("_count", "_sort", "_include", "_revinclude", "_summary", "_elements",
            "_format", "_pretty", "_getpages", "_pageId", "_total", "_consistency");

    /** A chained criterion on the patient: {@code patient.<param>=<value>}. */
    public record Chain(String param, String value) {
    }

    public record Parsed(List<Criterion> criteria, List<Chain> chains) {
    }

    private SearchTranslator() {
    }

    public static Parsed translate(String type, Map<String, String[]> parameters) {
        List<Criterion> criteria = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        for (var entry : parameters.entrySet()) {
            String key = entry.getKey();
            if (CONTROL.contains(key)) {
                continue;
            }
            String name = key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
            String modifier = key.contains(":") ? key.substring(key.indexOf(':') + 1) : null;
            if (name.contains(".")) {
                chains.add(chain(type, name, entry.getValue()));
                continue;
            }
            Param param = SearchParameters.find(type, name).orElseThrow(() -> unsupported(type, key));
            for (String value : entry.getValue()) {
                criteria.add(criterion(param, modifier, value));
            }
        }
        return new Parsed(criteria, chains);
    }

    private static Chain chain(String type, String name, String[] values) {
        String[] parts = name.split("\\.", 2);
        if (!Set.of("patient", "subject").contains(parts[0]) || !SearchParameters.find(type, parts[0]).isPresent()
                || !Set.of("identifier", "name", "family", "birthdate", "gender").contains(parts[1])
                || values.length != 1) {
            throw new InvalidRequestException("EHR-0502 unsupported chained parameter '" + name + "' for " + type
                    + ": supported are patient.identifier, patient.name, patient.family, patient.birthdate,"
                    + " patient.gender");
        }
        return new Chain(parts[1], values[0]);
    }

    static Criterion criterion(Param param, String modifier, String raw) {
        List<String> values = Arrays.stream(raw.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
        if (values.isEmpty()) {
            throw new InvalidRequestException("EHR-0503 empty value for parameter '" + param.name() + "'");
        }
        return switch (param.kind()) {
            case ID -> new Term(param.field(), values);
            case TEXT -> new FullText(raw);
            case STRING -> string(param, modifier, values);
            case TOKEN -> token(param, modifier, raw, values);
            case REFERENCE -> new Term(param.field(), values.stream().map(v -> reference(param, v)).toList());
            case DATE -> date(param, values);
            case QUANTITY -> quantity(param, values);
        };
    }

    private static Criterion string(Param param, String modifier, List<String> values) {
        if (modifier == null) {
            return new Prefix(param.field(), values);
        }
        if ("exact".equals(modifier)) {
            return new Term(param.field(), values.stream().map(health.meridian.search.Folding::fold).toList());
        }
        throw new InvalidRequestException("EHR-0504 unsupported modifier :" + modifier + " on " + param.name());
    }

    private static Criterion token(Param param, String modifier, String raw, List<String> values) {
        if ("text".equals(modifier)) {
            return new FullText(raw);
        }
        if (modifier != null) {
            throw new InvalidRequestException("EHR-0504 unsupported modifier :" + modifier + " on " + param.name());
        }
        boolean anySystem = values.stream().noneMatch(v -> v.contains("|"));
        if (anySystem && !"gender".equals(param.field()) && !"status".equals(param.field())) {
            return new Term(param.field() + "_code", values);
        }
        if (values.stream().allMatch(v -> v.contains("|")) || anySystem) {
            return new Term(param.field(), values.stream().map(v -> v.startsWith("|") ? v : v).toList());
        }
        throw new InvalidRequestException("EHR-0505 mix of system|code and bare codes in '" + param.name() + "'");
    }

    private static String reference(Param param, String value) {
        String id = value.contains("/") ? value.substring(value.lastIndexOf('/') + 1) : value;
        String type = value.contains("/") ? value.substring(0, value.indexOf('/'))
                : SearchParameters.referenceTypes(param).get(0);
        return type + "/" + id;
    }

    private static Criterion date(Param param, List<String> values) {
        if (values.size() != 1) {
            throw new InvalidRequestException("EHR-0506 a date parameter takes one value (repeat it for a range)");
        }
        DateParam date;
        try {
            date = new DateParam(values.get(0));
        } catch (RuntimeException e) {
            throw new InvalidRequestException("EHR-0507 invalid date '" + values.get(0) + "' for " + param.name());
        }
        DateRangeParam range = new DateRangeParam(date);
        ParamPrefixEnum prefix = date.getPrefix() == null ? ParamPrefixEnum.EQUAL : date.getPrefix();
        String low = range.getLowerBoundAsInstant() == null ? null : range.getLowerBoundAsInstant().toInstant().toString();
        String high = range.getUpperBoundAsInstant() == null ? null : range.getUpperBoundAsInstant().toInstant().toString();
        return switch (prefix) {
            case GREATERTHAN, STARTS_AFTER -> new Range(param.field(), high, null, null, null);
            case GREATERTHAN_OR_EQUALS -> new Range(param.field(), null, low, null, null);
            case LESSTHAN, ENDS_BEFORE -> new Range(param.field(), null, null, low, null);
            case LESSTHAN_OR_EQUALS -> new Range(param.field(), null, null, null, high);
            case EQUAL, APPROXIMATE -> new Range(param.field(), null, low, null, high);
            default -> throw new InvalidRequestException("EHR-0508 unsupported date prefix " + prefix.getValue());
        };
    }

    private static Criterion quantity(Param param, List<String> values) {
        String v = values.get(0);
        String prefix = v.length() > 2 && Character.isLetter(v.charAt(0)) ? v.substring(0, 2) : "eq";
        String number = (prefix.equals("eq") && !v.startsWith("eq") ? v : v.substring(2)).split("\\|")[0];
        BigDecimal n;
        try {
            n = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("EHR-0509 invalid quantity '" + v + "' for " + param.name());
        }
        double d = n.doubleValue();
        return switch (prefix) {
            case "gt" -> new Range(param.field(), d, null, null, null);
            case "ge" -> new Range(param.field(), null, d, null, null);
            case "lt" -> new Range(param.field(), null, null, d, null);
            case "le" -> new Range(param.field(), null, null, null, d);
            case "eq", "ap" -> new Range(param.field(), null, d - halfUlp(n), null, d + halfUlp(n));
            default -> throw new InvalidRequestException("EHR-0508 unsupported quantity prefix " + prefix);
        };
    }

    /** FHIR: eq 5.4 means [5.35, 5.45) — half a unit of the last significant digit. */
    private static double halfUlp(BigDecimal n) {
        return BigDecimal.ONE.movePointLeft(Math.max(n.scale(), 0)).doubleValue() / 2;
    }

    private static InvalidRequestException unsupported(String type, String key) {
        return new InvalidRequestException("EHR-0501 unsupported search parameter '" + key + "' for " + type
                + "; supported: " + SearchParameters.supportedNames(type));
    }
}
