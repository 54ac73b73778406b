package health.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart and the image (infra/helm/Dockerfile) agree: the paths the chart runs exist there, and the user. */
class ImageContractTest {

    static final String DOCKERFILE = read(RenderedChart.CHART.resolveSibling("Dockerfile"));

    @Test
    void theMigrationsTheChartRunsAreInTheImage() {
        JsonNode job = RenderedChart.render(null).one("Job").path("spec").path("template").path("spec");
        String classpath = job.path("containers").get(0).path("command").get(2).asText();
        for (String entry : classpath.split(":")) {
            String copied = entry.endsWith("/*") ? entry.substring(0, entry.length() - 1) : entry;
            assertThat(DOCKERFILE).contains(" " + copied);
        }
    }

    @Test
    void theImageRunsAsTheUserThePodsRequire() {
        JsonNode pod = RenderedChart.render(null).one("Deployment").path("spec").path("template").path("spec");
        String uid = pod.path("securityContext").path("runAsUser").asText();
        assertThat(DOCKERFILE).contains("USER " + uid + ":");
        assertThat(DOCKERFILE).contains("--rootdir\", \"/tmp/");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
