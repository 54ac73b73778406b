package health.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every object {@code helm template} renders, with the default, small and large values (and with backups on), is
 * either a Kubernetes core object the fabric8 model reads without an unknown field, or an operator's custom resource
 * valid against the operator's published schema — nothing else.
 */
class SchemaValidationTest {

    static final CrdSchemas CRDS = new CrdSchemas();

    static Stream<RenderedChart> renderings() {
        return Stream.of(RenderedChart.render(null), RenderedChart.render("values-small.yaml"),
                RenderedChart.render("values-large.yaml"),
                RenderedChart.render(null, Map.of("postgresql.backup.enabled", "true")),
                RenderedChart.render("values-small.yaml", RenderedChart.SMART_LAUNCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectIsValidAgainstItsSchema(RenderedChart chart) {
        assertThat(chart.objects).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (ObjectNode object : chart.objects) {
            String what = StrictKubernetesModel.typeOf(object) + " " + RenderedChart.name(object);
            if (StrictKubernetesModel.knows(object)) {
                try {
                    StrictKubernetesModel.read(object);
                } catch (AssertionError | IllegalArgumentException e) {
                    problems.add(what + ": " + e.getMessage());
                }
            } else if (CRDS.knows(object)) {
                CRDS.violations(object).forEach(v -> problems.add(what + ": " + v));
                JsonNode keycloakPod = object.path("spec").path("unsupported").path("podTemplate");
                if (!keycloakPod.isMissingNode()) {
                    try {
                        StrictKubernetesModel.readAs(keycloakPod, PodTemplateSpec.class, what + " podTemplate");
                    } catch (AssertionError | IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                }
                for (JsonNode set : object.path("spec").path("nodeSets")) {
                    try {
                        StrictKubernetesModel.readAs(set.path("podTemplate"), PodTemplateSpec.class,
                                what + " nodeSet " + set.path("name").asText() + " podTemplate");
                    } catch (AssertionError | IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                }
            } else {
                problems.add(what + ": neither a known core type nor a vendored CRD");
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyMetadataNameIsAValidDnsLabel(RenderedChart chart) {
        for (ObjectNode object : chart.objects) {
            assertThat(RenderedChart.name(object)).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
        }
    }

    /** The validators bite: a misspelt field in a core object and in a custom resource is found. */
    @Test
    void misspeltFieldsAreFound() {
        RenderedChart chart = RenderedChart.render(null);
        ObjectNode deployment = chart.one("Deployment").deepCopy();
        ((ObjectNode) deployment.path("spec")).put("replica", 3);
        assertThatThrownBy(() -> StrictKubernetesModel.read(deployment)).hasMessageContaining("replica");

        ObjectNode cluster = chart.one("Cluster", o -> RenderedChart.name(o).equals("meridian-db")).deepCopy();
        ((ObjectNode) cluster.path("spec")).put("instance", 3);
        assertThat(CRDS.violations(cluster)).anyMatch(v -> v.contains("instance"));

        ObjectNode es = chart.one("Elasticsearch").deepCopy();
        ((ObjectNode) es.path("spec").path("nodeSets").get(0)).put("count", "three");
        assertThat(CRDS.violations(es)).isNotEmpty();

        // the pod template ECK's CRD leaves open is checked as a Kubernetes pod template
        ObjectNode podTemplate = chart.one("Elasticsearch").path("spec").path("nodeSets").get(0).path("podTemplate").deepCopy();
        ((ObjectNode) podTemplate.path("spec").path("containers").get(0)).put("resource", "typo");
        assertThatThrownBy(() -> StrictKubernetesModel.readAs(podTemplate, PodTemplateSpec.class, "podTemplate"))
                .hasMessageContaining("resource");
    }
}
