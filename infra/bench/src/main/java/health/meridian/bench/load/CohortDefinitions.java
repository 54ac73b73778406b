package health.meridian.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;

/**
 * The cohort definitions the benchmark counts ({@code POST /api/cohorts/count}, the JSON form of docs/search.md),
 * on codes that Synthea 3.3.0 writes for many patients (and the demo data for some): a condition, an observation
 * value comparison, and an AND with a NOT. Each matches some of the smallest bundles of the 30-42 population.
 */
public final class CohortDefinitions {

    static final String SNOMED = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String VIRAL_SINUSITIS = "444814009";
    static final String BODY_WEIGHT = "29463-7";
    static final String AMOXICILLIN_CLAVULANATE = "562251";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One definition: a short name (table, chart), what it asks, its criteria, the body for an index date. */
    public record Definition(String name, String description, ObjectNode criteria) {

        public String body(LocalDate indexDate) {
            ObjectNode body = JSON.createObjectNode();
            body.put("indexDate", indexDate.toString());
            body.set("criteria", criteria.deepCopy());
            return body.toString();
        }
    }

    private CohortDefinitions() {
    }

    public static List<Definition> standard() {
        return List.of(
                new Definition("cohort count: condition", "viral sinusitis (SNOMED " + VIRAL_SINUSITIS + ")",
                        coded("condition", SNOMED, VIRAL_SINUSITIS)),
                new Definition("cohort count: observation value", "a body weight (LOINC " + BODY_WEIGHT + ") > 60 kg",
                        valued(coded("observation", LOINC, BODY_WEIGHT), "gt", 60, "kg")),
                new Definition("cohort count: AND/NOT", "viral sinusitis AND NOT amoxicillin/clavulanate (RxNorm "
                        + AMOXICILLIN_CLAVULANATE + ")", group("and", coded("condition", SNOMED, VIRAL_SINUSITIS),
                        group("not", coded("medication", RXNORM, AMOXICILLIN_CLAVULANATE)))));
    }

    static ObjectNode coded(String type, String system, String code) {
        ObjectNode n = JSON.createObjectNode().put("type", type);
        n.putArray("codes").add(system + "|" + code);
        return n;
    }

    static ObjectNode valued(ObjectNode criterion, String comparator, double value, String unit) {
        criterion.putObject("value").put("comparator", comparator).put("value", value).put("unit", unit);
        return criterion;
    }

    static ObjectNode group(String op, ObjectNode... items) {
        ObjectNode g = JSON.createObjectNode().put("op", op);
        ArrayNode list = g.putArray("items");
        for (ObjectNode item : items) {
            list.add(item);
        }
        return g;
    }
}
