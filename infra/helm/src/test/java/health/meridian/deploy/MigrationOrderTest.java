package health.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Flyway migration runs as a Helm hook before the app rolls: pre-upgrade (Helm changes nothing else of the
 * release until it has succeeded), post-install (the database is part of the release), the first hook by weight,
 * and the app's pods wait for the schema their image knows before any app container starts.
 */
class MigrationOrderTest {

    static final RenderedChart CHART = RenderedChart.render(null);

    static ObjectNode migrationJob() {
        return CHART.one("Job", o -> RenderedChart.name(o).endsWith("-migrate"));
    }

    @Test
    void theMigrationIsAHookBeforeEveryUpgradeAndAfterTheFirstInstall() {
        String phases = RenderedChart.hookAnnotation(migrationJob(), "hook");
        assertThat(phases).isNotNull();
        assertThat(List.of(phases.split(","))).containsExactlyInAnyOrder("pre-upgrade", "post-install");
        assertThat(RenderedChart.hookAnnotation(migrationJob(), "hook-delete-policy")).isEqualTo("before-hook-creation");
        // ...so Helm keeps it out of the release manifest (it is not applied with the app)
        assertThat(RenderedChart.renderWithoutHooks(null).ofKind("Job")).isEmpty();
    }

    @Test
    void theMigrationIsTheFirstHookAndTheAppIsNoHook() {
        int migration = Integer.parseInt(RenderedChart.hookAnnotation(migrationJob(), "hook-weight"));
        // before any hook a later change adds at Helm's default weight (0), too
        assertThat(migration).isNegative();
        for (ObjectNode object : CHART.objects) {
            String weight = RenderedChart.hookAnnotation(object, "hook-weight");
            if (object != migrationJob() && weight != null) {
                assertThat(Integer.parseInt(weight)).as(RenderedChart.name(object)).isGreaterThan(migration);
            }
        }
        assertThat(RenderedChart.hookAnnotation(CHART.one("Deployment"), "hook")).isNull();
    }

    @Test
    void theMigrationRunsAsTheSchemaOwnerFromTheAppsImage() {
        JsonNode job = migrationJob().path("spec").path("template").path("spec");
        JsonNode container = job.path("containers").get(0);
        assertThat(container.path("command").toString()).contains("health.meridian.migrations.Migrate");
        assertThat(container.path("image")).isEqualTo(appContainer().path("image"));
        assertThat(envNames(container)).contains("MERIDIAN_DB_OWNER", "MERIDIAN_DB_OWNER_PASSWORD", "MERIDIAN_DB_URL");
        assertThat(job.path("restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void appPodsWaitForTheSchemaBeforeTheAppStarts() {
        JsonNode pod = CHART.one("Deployment").path("spec").path("template").path("spec");
        JsonNode init = pod.path("initContainers").get(0);
        assertThat(init.path("command").toString()).contains("health.meridian.migrations.AwaitSchema");
        assertThat(init.path("image")).isEqualTo(appContainer().path("image"));
        // as the app role, not the owner
        assertThat(envNames(init)).contains("MERIDIAN_DB_USER").doesNotContain("MERIDIAN_DB_OWNER_PASSWORD");
    }

    static JsonNode appContainer() {
        return CHART.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    }

    static List<String> envNames(JsonNode container) {
        return container.path("env").findValuesAsText("name");
    }
}
