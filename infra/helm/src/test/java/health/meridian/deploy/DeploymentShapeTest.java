package health.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What matters in the rendered chart, for the default, small and large values. */
class DeploymentShapeTest {

    static Stream<RenderedChart> renderings() {
        return Stream.of(RenderedChart.render(null), RenderedChart.render("values-small.yaml"),
                RenderedChart.render("values-large.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyContainerHasRequestsAndLimits(RenderedChart chart) {
        List<String> missing = new ArrayList<>();
        for (ObjectNode object : chart.objects) {
            for (JsonNode resources : resourcesOf(object)) {
                for (String bound : List.of("requests", "limits")) {
                    for (String kind : List.of("cpu", "memory")) {
                        if (resources.path(bound).path(kind).asText().isEmpty()) {
                            missing.add(StrictKubernetesModel.typeOf(object) + " " + RenderedChart.name(object)
                                    + " " + bound + "." + kind);
                        }
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    /** The resources of every container an object runs, whoever builds the pods (Kubernetes or an operator). */
    static List<JsonNode> resourcesOf(ObjectNode object) {
        List<JsonNode> found = new ArrayList<>();
        switch (object.path("kind").asText()) {
            case "Deployment", "Job" -> {
                JsonNode pod = object.path("spec").path("template").path("spec");
                pod.path("initContainers").forEach(c -> found.add(c.path("resources")));
                pod.path("containers").forEach(c -> found.add(c.path("resources")));
            }
            case "Cluster", "Keycloak" -> found.add(object.path("spec").path("resources"));
            case "Elasticsearch" -> object.path("spec").path("nodeSets").forEach(set -> {
                JsonNode containers = set.path("podTemplate").path("spec").path("containers");
                assertThat(containers).as("nodeSet %s names its container", set.path("name")).isNotEmpty();
                containers.forEach(c -> found.add(c.path("resources")));
            });
            default -> { }
        }
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void replicatedEverywhere(RenderedChart chart) {
        ObjectNode hpa = chart.one("HorizontalPodAutoscaler");
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo(RenderedChart.name(chart.one("Deployment")));
        ObjectNode pdb = chart.one("PodDisruptionBudget");
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isGreaterThanOrEqualTo(1)
                .isLessThan(hpa.path("spec").path("minReplicas").asInt());
        assertThat(pdb.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(chart.one("Deployment").path("spec").path("selector").path("matchLabels"));

        ObjectNode db = chart.one("Cluster", o -> RenderedChart.name(o).equals("meridian-db"));
        assertThat(db.path("spec").path("instances").asInt()).isEqualTo(3);
        assertThat(db.path("spec").path("postgresql").path("synchronous").path("number").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(chart.one("Elasticsearch").path("spec").path("nodeSets").get(0).path("count").asInt())
                .isGreaterThanOrEqualTo(3);
        assertThat(chart.one("Keycloak").path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void withoutAutoscalingTheDeploymentKeepsTwoReplicas() {
        RenderedChart chart = RenderedChart.render(null, Map.of("app.autoscaling.enabled", "false"));
        assertThat(chart.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(chart.one("Deployment").path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void backupsCoverBothDatabasesWhenOn() {
        RenderedChart off = RenderedChart.render(null);
        assertThat(off.ofKind("ScheduledBackup")).isEmpty();
        assertThat(off.ofKind("Cluster")).allSatisfy(c -> assertThat(c.path("spec").has("backup")).isFalse());

        RenderedChart on = RenderedChart.render(null, Map.of("postgresql.backup.enabled", "true"));
        List<String> clusters = on.ofKind("Cluster").stream().map(RenderedChart::name).toList();
        assertThat(clusters).containsExactlyInAnyOrder("meridian-db", "meridian-keycloak-db");
        for (ObjectNode cluster : on.ofKind("Cluster")) {
            JsonNode store = cluster.path("spec").path("backup").path("barmanObjectStore");
            assertThat(store.path("destinationPath").asText()).startsWith("s3://");
            assertThat(store.path("s3Credentials").path("secretAccessKey").path("name").asText()).isNotEmpty();
        }
        assertThat(on.ofKind("ScheduledBackup").stream().map(b -> b.path("spec").path("cluster").path("name").asText()))
                .containsExactlyInAnyOrderElementsOf(clusters);
    }

    /** The connection pool (24 per replica, DataSourceConfig) of the most replicas the HPA starts fits the database. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void connectionPoolsFitTheDatabase(RenderedChart chart) {
        int maxReplicas = chart.one("HorizontalPodAutoscaler").path("spec").path("maxReplicas").asInt();
        int maxConnections = chart.one("Cluster", o -> RenderedChart.name(o).equals("meridian-db"))
                .path("spec").path("postgresql").path("parameters").path("max_connections").asInt();
        assertThat(maxReplicas * 24 + 10).isLessThanOrEqualTo(maxConnections);
    }
}
