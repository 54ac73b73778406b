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

    /**
     * infra/keycloak/Dockerfile (Keycloak with Meridian's provider, for smart.launch.enabled) builds on the Keycloak
     * the local stack and the tests run, the version the provider is compiled against, and copies the jar Maven builds.
     */
    @Test
    void theKeycloakImageIsTheStacksKeycloakWithTheProviderMavenBuilds() {
        Path repo = RenderedChart.CHART.toAbsolutePath().getParent().getParent().getParent();
        String keycloakDockerfile = read(repo.resolve("infra/keycloak/Dockerfile"));
        String stack = read(repo.resolve("infra/local/stack.sh"));
        String providerPom = read(repo.resolve("infra/keycloak/smart-launch/pom.xml"));
        String version = group(stack, "STACK_KC_VERSION=([0-9.]+)");
        assertThat(providerPom).contains("<keycloak.version>" + version + "</keycloak.version>");
        assertThat(keycloakDockerfile).contains("ARG KEYCLOAK_VERSION=" + version + "\n")
                .contains("FROM quay.io/keycloak/keycloak:${KEYCLOAK_VERSION} AS builder")
                .contains("RUN /opt/keycloak/bin/kc.sh build");
        String artifactId = group(providerPom, "</parent>\\s*<artifactId>([^<]+)</artifactId>");
        String parentVersion = group(providerPom, "<artifactId>meridian-parent</artifactId>\\s*<version>([^<]+)</version>");
        String jar = "infra/keycloak/smart-launch/target/" + artifactId + "-" + parentVersion + ".jar";
        assertThat(keycloakDockerfile).contains(jar);
    }

    private static String group(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
