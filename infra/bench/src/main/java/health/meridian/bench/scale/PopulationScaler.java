package health.meridian.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import health.meridian.bench.BenchException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Clones a Synthea patient bundle into a new person: every {@code urn:uuid} of the bundle (resource ids, Synthea
 * identifiers, references) is replaced by a new one, the patient gets a name, address and phone of {@link Country}
 * and new SSN/licence/passport numbers, and every date moves back by 1–365 days (so nothing passes Synthea's
 * reference date). References to shared practitioners and organisations ({@code Type?identifier=...}) are kept.
 * Deterministic: the same seed and clone index always give the same clone.
 */
public final class PopulationScaler {

    private final long seed;

    public PopulationScaler(long seed) {
        this.seed = seed;
    }

    /** Clone number {@code cloneIndex} of {@code source} (left untouched). */
    public ObjectNode clone(ObjectNode source, int cloneIndex) {
        ObjectNode bundle = source.deepCopy();
        Random random = new Random(seed * 1_000_003L + cloneIndex);
        Map<String, String> replacements = new HashMap<>();
        for (JsonNode entry : bundle.path("entry")) {
            String fullUrl = entry.path("fullUrl").asText("");
            if (fullUrl.startsWith("urn:uuid:")) {
                String old = fullUrl.substring("urn:uuid:".length());
                replacements.put(old, newUuid(cloneIndex, old));
            }
        }
        ObjectNode patient = patientOf(bundle);
        Country country = Country.forClone(cloneIndex);
        Map<String, String> names = renamePatient(patient, country, random);
        newPatientNumbers(patient, random);
        DateShift shift = new DateShift(-(1 + random.nextInt(365)));
        rewrite(bundle, new Rewrites(replacements, names, shift));
        relocate(patient, country, random);
        return bundle;
    }

    private String newUuid(int cloneIndex, String old) {
        return UUID.nameUUIDFromBytes((seed + ":" + cloneIndex + ":" + old).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static ObjectNode patientOf(ObjectNode bundle) {
        for (JsonNode entry : bundle.path("entry")) {
            if ("Patient".equals(entry.path("resource").path("resourceType").asText())) {
                return (ObjectNode) entry.path("resource");
            }
        }
        throw new BenchException("BENCH-0401 bundle has no Patient entry: cannot clone it");
    }

    /** Replaces the official name's parts; returns old part -> new part for the texts that repeat them. */
    private static Map<String, String> renamePatient(ObjectNode patient, Country country, Random random) {
        Map<String, String> renamed = new HashMap<>();
        boolean female = "female".equals(patient.path("gender").asText());
        String family = country.family(random.nextInt(1000));
        for (JsonNode name : patient.path("name")) {
            ObjectNode n = (ObjectNode) name;
            if (n.hasNonNull("family")) {
                renamed.put(n.get("family").asText(), family);
                n.put("family", family);
            }
            ArrayNode given = n.withArray("given");
            for (int i = 0; i < given.size(); i++) {
                String next = country.given(female, random.nextInt(1000));
                renamed.put(given.get(i).asText(), next);
                given.set(i, TextNode.valueOf(next));
            }
        }
        return renamed;
    }

    private static void newPatientNumbers(ObjectNode patient, Random random) {
        for (JsonNode identifier : patient.path("identifier")) {
            String system = identifier.path("system").asText("");
            if (system.equals("http://hl7.org/fhir/sid/us-ssn")) {
                ((ObjectNode) identifier).put("value", String.format("999-%02d-%04d", random.nextInt(100), random.nextInt(10_000)));
            } else if (system.contains("driver") || system.contains("passport")) {
                ((ObjectNode) identifier).put("value", "X" + (10_000_000 + random.nextInt(89_999_999)));
            }
        }
    }

    private static void relocate(ObjectNode patient, Country country, Random random) {
        for (JsonNode address : patient.path("address")) {
            ObjectNode a = (ObjectNode) address;
            a.remove("extension");
            a.putArray("line").add("Kanaalstraat " + (1 + random.nextInt(300)));
            a.put("city", country.city()).put("state", country.state())
                    .put("postalCode", country.postalCode(random.nextInt())).put("country", country.code());
        }
        for (JsonNode telecom : patient.path("telecom")) {
            ((ObjectNode) telecom).put("value", country.phone(random.nextInt()));
        }
    }

    /** Old uuid -> new uuid, old name part -> new name part, and the date shift. */
    private record Rewrites(Map<String, String> uuids, Map<String, String> names, DateShift shift) {

        String apply(String text) {
            var shifted = shift.apply(text);
            if (shifted.isPresent()) {
                return shifted.get();
            }
            String uuid = uuids.get(text);
            if (uuid != null) {
                return uuid;
            }
            if (text.startsWith("urn:uuid:") && uuids.containsKey(text.substring(9))) {
                return "urn:uuid:" + uuids.get(text.substring(9));
            }
            int bar = text.lastIndexOf('|');
            if (bar >= 0 && uuids.containsKey(text.substring(bar + 1))) {
                return text.substring(0, bar + 1) + uuids.get(text.substring(bar + 1));
            }
            return renamed(text);
        }

        private String renamed(String text) {
            String out = text;
            for (Map.Entry<String, String> n : names.entrySet()) {
                if (out.contains(n.getKey())) {
                    out = out.replace(n.getKey(), n.getValue());
                }
            }
            return out;
        }
    }

    /** Walks every string of the tree and rewrites it in place. */
    private static void rewrite(JsonNode node, Rewrites rewrites) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(rewrites.apply(field.getValue().asText())));
                } else {
                    rewrite(field.getValue(), rewrites);
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(rewrites.apply(array.get(i).asText())));
                } else {
                    rewrite(array.get(i), rewrites);
                }
            }
        }
    }
}
