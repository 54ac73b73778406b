package health.meridian.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operators' custom resources checked against the OpenAPI v3 schemas of their published CRDs (vendored under
 * src/test/resources/crds, sources in its README). Like a structural schema, but stricter than the API server: a
 * field the schema does not declare is an error here (Kubernetes would prune it silently, so a typo would be lost
 * without a word), except where the CRD says {@code x-kubernetes-preserve-unknown-fields}.
 */
final class CrdSchemas {

    static final List<String> FILES = List.of(
            "postgresql.cnpg.io_clusters.yaml",
            "postgresql.cnpg.io_scheduledbackups.yaml",
            "elasticsearch.k8s.elastic.co_elasticsearches.yaml",
            "keycloaks.k8s.keycloak.org-v1.yml",
            "keycloakrealmimports.k8s.keycloak.org-v1.yml");

    private final Map<String, JsonSchema> byType = new HashMap<>();

    CrdSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        for (String file : FILES) {
            JsonNode crd = read(file);
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (!version.path("served").asBoolean(true)) {
                    continue;
                }
                ObjectNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                implicitRootFields(schema);
                closeObjects(schema);
                byType.put(group + "/" + version.path("name").asText() + "/" + kind, factory.getSchema(schema));
            }
        }
    }

    boolean knows(JsonNode object) {
        return byType.containsKey(StrictKubernetesModel.typeOf(object));
    }

    /** The schema violations of {@code object} (empty when valid); an unknown type is a violation too. */
    Set<String> violations(JsonNode object) {
        JsonSchema schema = byType.get(StrictKubernetesModel.typeOf(object));
        Set<String> messages = new TreeSet<>();
        if (schema == null) {
            messages.add("no CRD schema for " + StrictKubernetesModel.typeOf(object));
            return messages;
        }
        for (ValidationMessage m : schema.validate(object)) {
            messages.add(m.getMessage());
        }
        return messages;
    }

    /** The API server accepts apiVersion, kind and metadata on every object, whether its CRD lists them or not. */
    static void implicitRootFields(ObjectNode root) {
        ObjectNode properties = root.with("properties");
        properties.with("apiVersion").put("type", "string");
        properties.with("kind").put("type", "string");
        properties.with("metadata").put("type", "object");
    }

    /** additionalProperties: false on every object schema that lists its properties and does not keep unknowns. */
    static void closeObjects(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (node.has("properties") && !node.has("additionalProperties") && !preserve) {
            node.set("additionalProperties", BooleanNode.FALSE);
        }
        node.path("properties").forEach(CrdSchemas::closeObjects);
        closeObjects(node.get("items"));
        closeObjects(node.get("additionalProperties"));
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            node.path(combinator).forEach(CrdSchemas::closeObjects);
        }
    }

    private static JsonNode read(String file) {
        try (InputStream in = CrdSchemas.class.getResourceAsStream("/crds/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing CRD " + file);
            }
            return RenderedChart.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
