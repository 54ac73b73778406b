package health.meridian.web.cohort;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.cohort.Code;
import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.CohortNode;
import health.meridian.domain.cohort.Criterion;
import health.meridian.domain.cohort.CriterionType;
import health.meridian.domain.cohort.Demographics;
import health.meridian.domain.cohort.Group;
import health.meridian.domain.cohort.InvalidCohortException;
import health.meridian.domain.cohort.Sequence;
import health.meridian.domain.cohort.TimeWindow;
import health.meridian.domain.cohort.ValueFilter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a cohort definition from its JSON form (see docs/search.md, "Cohorts"), refusing unknown fields and
 * malformed values with a coded message. The domain records enforce the rules; this class only translates.
 */
public final class CohortJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("name", "indexDate", "criteria");
    private static final Set<String> GROUP = Set.of("op", "items");
    private static final Set<String> SEQUENCE = Set.of("type", "first", "then", "withinDays");
    private static final Set<String> CRITERION = Set.of("type", "codes", "window", "value");
    private static final Set<String> DEMOGRAPHICS = Set.of("type", "gender", "minAge", "maxAge", "institutions",
            "countries", "regions");

    private CohortJson() {
    }

    public static JsonNode tree(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new InvalidCohortException("EHR-0800 the body is a JSON object with indexDate and criteria");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidCohortException("EHR-0800 the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static CohortDefinition definition(JsonNode body, LocalDate today) {
        only(body, TOP, "cohort");
        LocalDate index = body.hasNonNull("indexDate") ? date(body.get("indexDate"), "indexDate") : today;
        if (!body.hasNonNull("criteria")) {
            throw new InvalidCohortException("EHR-0801 a cohort needs criteria");
        }
        return new CohortDefinition(index, node(body.get("criteria")));
    }

    static CohortNode node(JsonNode n) {
        if (!n.isObject()) {
            throw new InvalidCohortException("EHR-0801 each item is an object: a group (op, items) or a criterion (type)");
        }
        if (n.has("op")) {
            only(n, GROUP, "group");
            return new Group(operator(n.get("op").asText()), items(n.get("items")));
        }
        if (!n.hasNonNull("type")) {
            throw new InvalidCohortException("EHR-0806 a criterion needs a type (or a group an op)");
        }
        if ("temporal".equalsIgnoreCase(n.get("type").asText())) {
            only(n, SEQUENCE, "temporal relation");
            if (!n.path("withinDays").canConvertToInt()) {
                throw new InvalidCohortException("EHR-0812 withinDays is a whole number of days");
            }
            return new Sequence(criterion(n.path("first")), criterion(n.path("then")), n.get("withinDays").asInt());
        }
        return criterion(n);
    }

    private static Group.Operator operator(String op) {
        try {
            return Group.Operator.valueOf(op.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new InvalidCohortException("EHR-0803 unknown group operator: " + op + " (and, or, not)");
        }
    }

    private static List<CohortNode> items(JsonNode items) {
        if (items == null || !items.isArray()) {
            throw new InvalidCohortException("EHR-0804 a group needs at least one item");
        }
        List<CohortNode> out = new ArrayList<>();
        items.forEach(i -> out.add(node(i)));
        return out;
    }

    static Criterion criterion(JsonNode n) {
        if (!n.isObject() || !n.hasNonNull("type")) {
            throw new InvalidCohortException("EHR-0810 a temporal relation relates two criteria (first, then)");
        }
        CriterionType type = CriterionType.parse(n.get("type").asText());
        if (type == CriterionType.DEMOGRAPHICS) {
            only(n, DEMOGRAPHICS, "demographics criterion");
            return new Criterion(type, List.of(), null, null, new Demographics(text(n, "gender"),
                    age(n, "minAge"), age(n, "maxAge"), strings(n, "institutions"), strings(n, "countries"),
                    strings(n, "regions")));
        }
        only(n, CRITERION, type.name().toLowerCase() + " criterion");
        List<Code> codes = strings(n, "codes").stream().map(Code::parse).toList();
        return new Criterion(type, codes, window(n.get("window")), value(n.get("value")), null);
    }

    private static TimeWindow window(JsonNode w) {
        if (w == null || w.isNull()) {
            return null;
        }
        only(w, Set.of("from", "to", "daysBefore"), "time window");
        Integer days = w.hasNonNull("daysBefore") ? intValue(w.get("daysBefore"), "EHR-0813 daysBefore") : null;
        return new TimeWindow(w.hasNonNull("from") ? date(w.get("from"), "window.from") : null,
                w.hasNonNull("to") ? date(w.get("to"), "window.to") : null, days);
    }

    private static ValueFilter value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        only(v, Set.of("comparator", "value", "unit"), "value comparison");
        if (!v.path("value").isNumber()) {
            throw new InvalidCohortException("EHR-0809 a value comparison needs a number");
        }
        return new ValueFilter(ValueFilter.Comparator.parse(v.path("comparator").asText()),
                v.get("value").asDouble(), text(v, "unit"));
    }

    private static void only(JsonNode n, Set<String> allowed, String what) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw new InvalidCohortException("EHR-0823 unknown field in a " + what + ": " + field);
            }
        }
    }

    private static LocalDate date(JsonNode n, String field) {
        try {
            return LocalDate.parse(n.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidCohortException("EHR-0824 " + field + " is a date (YYYY-MM-DD): " + n.asText());
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Integer age(JsonNode n, String field) {
        return n.hasNonNull(field) ? intValue(n.get(field), "EHR-0815 " + field) : null;
    }

    private static Integer intValue(JsonNode n, String codeAndField) {
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new InvalidCohortException(codeAndField + " is a whole number");
        }
        return n.asInt();
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode list = n.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new InvalidCohortException("EHR-0825 " + field + " is a list of strings");
        }
        List<String> out = new ArrayList<>();
        list.forEach(s -> out.add(s.asText()));
        return out;
    }
}
