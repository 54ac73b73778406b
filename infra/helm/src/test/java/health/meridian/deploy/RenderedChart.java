package health.meridian.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The chart as {@code helm template} renders it (Helm's own library, in-process), one JSON tree per object. */
final class RenderedChart {

    static final Path CHART = Path.of(System.getProperty("basedir", "."), "meridian");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The oldest Kubernetes the chart supports (Chart.yaml kubeVersion). */
    static final String KUBE_VERSION = "1.30.0";

    final String valuesFile;
    final Map<String, Object> sets;
    final List<ObjectNode> objects;

    private RenderedChart(String valuesFile, Map<String, Object> sets, List<ObjectNode> objects) {
        this.valuesFile = valuesFile;
        this.sets = sets;
        this.objects = objects;
    }

    /**
     * helm-java's template prints the release manifest only, without the hooks that {@code helm template} prints
     * too. So the chart is rendered from a copy in which the hook annotations are renamed ({@value #HOOK} instead of
     * {@code helm.sh/hook}): Helm then renders the hooks like any object, and the tests read their annotations.
     */
    static final String HOOK = "hook.test.meridian/helm-hook";

    /** Renders with the chart's values.yaml plus {@code valuesFile} (null: defaults only) and {@code --set} pairs. */
    static RenderedChart render(String valuesFile, Map<String, Object> sets) {
        return render(HOOKS_EXPOSED.get(), valuesFile, sets);
    }

    /** Renders the chart as it is: what Helm applies as the release's manifest (no hooks). */
    static RenderedChart renderWithoutHooks(String valuesFile) {
        return render(CHART, valuesFile, Map.of());
    }

    private static RenderedChart render(Path chart, String valuesFile, Map<String, Object> sets) {
        TemplateCommand template = new Helm(chart).template().withName("meridian").withNamespace("meridian")
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(chart.resolve(valuesFile));
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return new RenderedChart(valuesFile, sets, parse(template.call()));
    }

    private static final java.util.function.Supplier<Path> HOOKS_EXPOSED = new java.util.function.Supplier<>() {
        private Path copy;

        @Override
        public synchronized Path get() {
            if (copy == null) {
                copy = copyWithHooksExposed();
            }
            return copy;
        }
    };

    private static Path copyWithHooksExposed() {
        try {
            Path target = Files.createTempDirectory("meridian-chart").resolve("meridian");
            try (Stream<Path> files = Files.walk(CHART)) {
                for (Path source : files.toList()) {
                    Path to = target.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(to);
                    } else {
                        String text = Files.readString(source);
                        Files.writeString(to, source.toString().endsWith(".yaml") ? text.replace("helm.sh/hook", HOOK) : text);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a hook annotation ({@code hook}, {@code hook-weight}, …) of an object, or null. */
    static String hookAnnotation(JsonNode object, String name) {
        JsonNode value = object.path("metadata").path("annotations").get(HOOK + name.substring("hook".length()));
        return value == null ? null : value.asText();
    }

    static RenderedChart render(String valuesFile) {
        return render(valuesFile, Map.of());
    }

    /** Keycloak's image with Meridian's provider, for {@link #SMART_LAUNCH} (infra/keycloak/Dockerfile). */
    static final String KEYCLOAK_IMAGE = "registry.example.org/meridian/keycloak:26.7.3-meridian-0.1.0";

    /** SMART launch on (ADR 0028, 0032): Keycloak's image with the provider, one app in the Apps menu. */
    static final Map<String, Object> SMART_LAUNCH = Map.of("keycloak.image", KEYCLOAK_IMAGE,
            "smart.launch.enabled", "true", "smart.apps", "growth-charts|Growth charts|https://apps.example.org/growth/launch");

    static List<ObjectNode> parse(String manifests) {
        List<ObjectNode> objects = new ArrayList<>();
        // a key given twice in one mapping is an error (YAML forbids it; lenient readers silently keep one of them)
        YAMLFactory strict = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        try (YAMLParser parser = strict.createParser(manifests)) {
            parser.setCodec(YAML);
            while (parser.nextToken() != null) {
                JsonNode node = parser.readValueAsTree();
                if (node instanceof ObjectNode object && !object.isEmpty()) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    ObjectNode one(String kind, Predicate<ObjectNode> which) {
        List<ObjectNode> found = ofKind(kind).stream().filter(which).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size() + " (" + valuesFile + ")");
        }
        return found.get(0);
    }

    ObjectNode one(String kind) {
        return one(kind, o -> true);
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
        return (valuesFile == null ? "values.yaml" : valuesFile) + (sets.isEmpty() ? "" : " " + new java.util.TreeMap<>(sets));
    }
}
