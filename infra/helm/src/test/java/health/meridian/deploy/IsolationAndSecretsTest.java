package health.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** No credential in values or rendered objects; restricted pods; only the ingress reaches the app, only the app the data. */
class IsolationAndSecretsTest {

    static final Pattern CREDENTIAL = Pattern.compile("(?i).*(password|passwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key).*");

    static Stream<RenderedChart> renderings() {
        return DeploymentShapeTest.renderings();
    }

    /** A key that looks like a credential may only name a Secret (…Secret / …Client / secrets.*), never hold one. */
    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values-small.yaml", "values-large.yaml"})
    void valuesHoldNoCredential(String file) throws IOException {
        JsonNode values = RenderedChart.YAML.readTree(Files.readString(RenderedChart.CHART.resolve(file)));
        List<String> leaks = new ArrayList<>();
        walk(values, "", (path, value) -> {
            String leaf = path.substring(path.lastIndexOf('.') + 1);
            boolean namesASecret = leaf.endsWith("Secret") || leaf.endsWith("Client") || leaf.equals("secret")
                    || path.contains(".secrets.");
            if (CREDENTIAL.matcher(leaf).matches() && !namesASecret) {
                leaks.add(path + "=" + value);
            }
            if (namesASecret && !value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                leaks.add(path + " does not name a Secret: " + value);
            }
        });
        assertThat(leaks).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void credentialsReachPodsOnlyFromSecrets(RenderedChart chart) {
        for (JsonNode container : containers(chart)) {
            for (JsonNode env : container.path("env")) {
                if (CREDENTIAL.matcher(env.path("name").asText()).matches()
                        && !env.path("name").asText().endsWith("_FILE")) {
                    assertThat(env.has("value")).as(env.path("name").asText()).isFalse();
                    assertThat(env.path("valueFrom").has("secretKeyRef")).as(env.path("name").asText()).isTrue();
                }
            }
        }
        assertThat(chart.ofKind("ConfigMap")).allSatisfy(cm -> assertThat(cm.toString()).doesNotContainIgnoringCase("password"));
        // The one Secret the chart writes holds role definitions, no credential.
        assertThat(chart.ofKind("Secret")).allSatisfy(secret -> {
            assertThat(secret.path("data").isMissingNode()).isTrue();
            assertThat(secret.path("stringData").fieldNames()).toIterable().containsExactly("roles.yml");
            assertThat(secret.toString()).doesNotContainIgnoringCase("password");
        });
    }

    static Stream<RenderedChart> realmRenderings() {
        return Stream.of(RenderedChart.render(null), RenderedChart.render(null, RenderedChart.SMART_LAUNCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realmRenderings")
    void theRealmImportCarriesNoDemoUserAndNoClientSecret(RenderedChart chart) {
        JsonNode realm = chart.one("KeycloakRealmImport").path("spec").path("realm");
        for (JsonNode user : realm.path("users")) {
            assertThat(user.has("serviceAccountClientId")).as(user.path("username").asText()).isTrue();
            assertThat(user.path("credentials")).isEmpty();
        }
        assertThat(realm.path("clients").findValuesAsText("clientId"))
                .contains("meridian-web", "meridian-api", "meridian-user-admin", "meridian-audit-import")
                .noneMatch(id -> id.startsWith("meridian-cli")).doesNotContain("meridian-demo-app");
        assertThat(realm.path("clientScopes").findValuesAsText("name")).contains("launch", "fhirUser");
        for (JsonNode client : realm.path("clients")) {
            assertThat(client.path("directAccessGrantsEnabled").asBoolean()).as(client.path("clientId").asText()).isFalse();
            if (client.has("secret")) {
                assertThat(client.path("secret").asText()).matches("\\$\\{MERIDIAN_[A-Z_]+}");
            }
        }
        JsonNode web = realm.path("clients").findParents("clientId").stream()
                .filter(c -> c.path("clientId").asText().equals("meridian-web")).findFirst().orElseThrow();
        assertThat(web.path("redirectUris").toString()).contains("https://ehr.example.org/").doesNotContain("127.0.0.1");
    }

    /** Without smart.launch.enabled: the operator's image, no provider mapper, no picker, an empty Apps menu. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void withoutSmartLaunchNothingNeedsMeridiansKeycloakProvider(RenderedChart chart) {
        ObjectNode keycloak = chart.one("Keycloak");
        assertThat(keycloak.path("spec").has("image")).isFalse();
        assertThat(keycloak.path("spec").has("unsupported")).isFalse();
        assertThat(keycloak.toString()).doesNotContain("MERIDIAN_SMART_PICKER_BASES");
        JsonNode scopes = chart.one("KeycloakRealmImport").path("spec").path("realm").path("clientScopes");
        assertThat(scopes.findValuesAsText("name")).contains("launch", "fhirUser");
        assertThat(scopes.findValuesAsText("protocolMapper"))
                .as("Meridian's Keycloak provider is not in the operator's image (ADR 0028)")
                .noneMatch(type -> type.startsWith("meridian-"));
        assertThat(appEnv(chart, "MERIDIAN_SMART_APPS")).isEqualTo("none");
    }

    @Test
    void withSmartLaunchKeycloakRunsTheProvidersImageAndTheRealmKeepsItsMappers() {
        RenderedChart chart = RenderedChart.render(null, RenderedChart.SMART_LAUNCH);
        ObjectNode keycloak = chart.one("Keycloak");
        assertThat(keycloak.path("spec").path("image").asText()).isEqualTo(RenderedChart.KEYCLOAK_IMAGE);
        JsonNode realm = chart.one("KeycloakRealmImport").path("spec").path("realm");
        List<String> mappers = new ArrayList<>();
        for (JsonNode scope : realm.path("clientScopes")) {
            scope.path("protocolMappers").forEach(m -> mappers.add(scope.path("name").asText() + ":" + m.path("protocolMapper").asText()));
        }
        assertThat(mappers).contains("launch:meridian-smart-launch-context", "launch/patient:meridian-smart-launch-context",
                "fhirUser:meridian-fhir-user");
        // the same scopes and mappers as the local realm: nothing dropped, nothing added
        assertThat(realm.path("clientScopes")).isEqualTo(localRealm().path("clientScopes"));
        assertThat(appEnv(chart, "MERIDIAN_SMART_APPS")).isEqualTo("growth-charts|Growth charts|https://apps.example.org/growth/launch");

        // the patient picker's bases: exactly the app's public base
        JsonNode containers = keycloak.path("spec").path("unsupported").path("podTemplate").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        JsonNode env = containers.get(0).path("env");
        assertThat(env.findValuesAsText("name")).containsExactly("MERIDIAN_SMART_PICKER_BASES");
        Pattern bases = Pattern.compile(env.get(0).path("value").asText());
        assertThat(bases.matcher("https://ehr.example.org").matches()).isTrue();
        assertThat(Stream.of("https://ehrXexample.org", "https://ehr.example.org.evil.example", "http://ehr.example.org",
                "https://evil.example/https://ehr.example.org", "https://ehr.example.org/other", "https://auth.example.org"))
                .noneMatch(base -> bases.matcher(base).matches() || bases.matcher(base).find());

        String own = "^https://ehr[.]example[.]org(/meridian)?$";
        JsonNode ownBases = RenderedChart.render(null, with(RenderedChart.SMART_LAUNCH, "smart.pickerBases", own))
                .one("Keycloak").path("spec").path("unsupported").path("podTemplate").findValue("env").get(0);
        assertThat(ownBases.path("value").asText()).isEqualTo(own);
    }

    @Test
    void withSmartLaunchAnEmptyAppsMenuIsNone() {
        RenderedChart chart = RenderedChart.render(null, with(RenderedChart.SMART_LAUNCH, "smart.apps", ""));
        assertThat(appEnv(chart, "MERIDIAN_SMART_APPS")).isEqualTo("none");
        assertThat(chart.one("Keycloak").path("spec").path("image").asText()).isEqualTo(RenderedChart.KEYCLOAK_IMAGE);
    }

    /** A Keycloak image alone (e.g. a mirror of the official one) changes only the image. */
    @Test
    void aKeycloakImageAloneChangesOnlyTheImage() {
        RenderedChart chart = RenderedChart.render(null, Map.of("keycloak.image", "mirror.example.org/keycloak/keycloak:26.7.3"));
        RenderedChart plain = RenderedChart.render(null);
        ObjectNode keycloak = chart.one("Keycloak").deepCopy();
        assertThat(keycloak.path("spec").path("image").asText()).isEqualTo("mirror.example.org/keycloak/keycloak:26.7.3");
        ((ObjectNode) keycloak.path("spec")).remove("image");
        assertThat(keycloak).isEqualTo(plain.one("Keycloak"));
        assertThat(chart.one("KeycloakRealmImport")).isEqualTo(plain.one("KeycloakRealmImport"));
        assertThat(appEnv(chart, "MERIDIAN_SMART_APPS")).isEqualTo("none");
    }

    /** SMART launch the chart cannot honour fails the rendering instead of installing a realm that will not import. */
    @Test
    void smartLaunchMisconfigurationsFailTheRendering() {
        Map<String, Object> noImage = new java.util.HashMap<>(RenderedChart.SMART_LAUNCH);
        noImage.remove("keycloak.image");
        assertThatThrownBy(() -> RenderedChart.render(null, noImage)).hasMessageContaining("smart.launch.enabled needs keycloak.image");
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("smart.apps", "x|X|https://x.example/launch")))
                .hasMessageContaining("smart.apps needs smart.launch.enabled");
        assertThatThrownBy(() -> RenderedChart.render(null, Map.of("smart.launch.enabled", "false",
                "smart.apps", "x|X|https://x.example/launch"))).hasMessageContaining("smart.apps needs smart.launch.enabled");
        assertThatThrownBy(() -> RenderedChart.render(null, with(RenderedChart.SMART_LAUNCH, "smart.apps",
                "meridian-demo-app|Meridian demo app|/apps/demo/launch.html")))
                .hasMessageContaining("meridian-demo-app");
    }

    static Map<String, Object> with(Map<String, Object> sets, String key, Object value) {
        Map<String, Object> all = new java.util.HashMap<>(sets);
        all.put(key, value);
        return all;
    }

    static JsonNode localRealm() {
        try {
            return RenderedChart.YAML.readTree(Files.readString(RenderedChart.CHART.resolve("files/meridian-realm.json")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String appEnv(RenderedChart chart, String name) {
        JsonNode container = chart.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(name)) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError(name + " not in the app's environment");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void podsRunRestricted(RenderedChart chart) {
        for (ObjectNode workload : workloads(chart)) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            List<String> mounts = new ArrayList<>();
            for (JsonNode c : concat(pod.path("initContainers"), pod.path("containers"))) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
                assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
                c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            }
            assertThat(mounts).contains("/tmp");
            pod.path("volumes").forEach(v -> {
                if (v.path("name").asText().equals("tmp")) {
                    assertThat(v.has("emptyDir")).isTrue();
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void onlyTheIngressControllerReachesTheApp(RenderedChart chart) {
        JsonNode appLabels = chart.one("Deployment").path("spec").path("selector").path("matchLabels");
        ObjectNode policy = chart.one("NetworkPolicy",
                p -> p.path("spec").path("podSelector").path("matchLabels").equals(appLabels));
        JsonNode rules = policy.path("spec").path("ingress");
        assertThat(rules).hasSize(1);
        JsonNode from = rules.get(0).path("from");
        assertThat(from).hasSize(1);
        assertThat(from.get(0).path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText())
                .isEqualTo("ingress-nginx");
        assertThat(rules.get(0).path("ports").findValuesAsText("port")).containsExactly("8080");
        // the Ingress routes to the app's Service, whose pods are those the policy protects
        ObjectNode service = chart.one("Service");
        assertThat(service.path("spec").path("selector")).isEqualTo(appLabels);
        assertThat(chart.one("Ingress").findValuesAsText("name")).contains(RenderedChart.name(service));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void onlyTheAppReachesTheDatabases(RenderedChart chart) {
        JsonNode appLabels = chart.one("Deployment").path("spec").path("selector").path("matchLabels");
        JsonNode migrateLabels = chart.one("Job").path("spec").path("template").path("metadata").path("labels");
        Map<String, String> selectors = Map.of(
                "meridian-db", "cnpg.io/cluster", "meridian-search", "elasticsearch.k8s.elastic.co/cluster-name");
        selectors.forEach((name, label) -> {
            ObjectNode policy = chart.one("NetworkPolicy", p -> RenderedChart.name(p).equals(name));
            assertThat(policy.path("spec").path("podSelector").path("matchLabels").path(label).asText()).isEqualTo(name);
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                assertThat(rule.path("from")).as("%s: a rule without peers admits everyone", name).isNotEmpty();
                for (JsonNode peer : rule.path("from")) {
                    JsonNode pods = peer.path("podSelector").path("matchLabels");
                    String namespace = peer.path("namespaceSelector").path("matchLabels")
                            .path("kubernetes.io/metadata.name").asText();
                    boolean app = !pods.isMissingNode() && isSubset(pods, appLabels);
                    boolean migration = !pods.isMissingNode() && isSubset(pods, migrateLabels);
                    boolean ownMembers = pods.path(label).asText().equals(name);
                    boolean operator = peer.path("podSelector").isMissingNode()
                            && List.of("cnpg-system", "elastic-system").contains(namespace);
                    assertThat(app || migration || ownMembers || operator).as("%s admits %s", name, peer).isTrue();
                    if (app || migration) {
                        assertThat(rule.path("ports").findValuesAsText("port")).containsAnyOf("5432", "9200");
                    }
                }
            }
        });
    }

    /**
     * The Keycloak operator labels its server pods app=keycloak and its realm-import Job's pods
     * app=keycloak-realm-import, both with app.kubernetes.io/instance=<Keycloak name> and
     * app.kubernetes.io/managed-by=keycloak-operator (keycloak/keycloak operator: Constants,
     * KeycloakRealmImportJobDependentResource). Both must reach Keycloak's database, or the realm is never imported.
     */
    @Test
    void keycloakAndItsRealmImportReachKeycloaksDatabase() {
        RenderedChart chart = RenderedChart.render(null);
        ObjectNode policy = chart.one("NetworkPolicy", p -> RenderedChart.name(p).equals("meridian-keycloak-db"));
        for (String app : List.of("keycloak", "keycloak-realm-import")) {
            JsonNode pod = RenderedChart.YAML.valueToTree(Map.of("app", app,
                    "app.kubernetes.io/instance", RenderedChart.name(chart.one("Keycloak")),
                    "app.kubernetes.io/managed-by", "keycloak-operator"));
            boolean admitted = false;
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                for (JsonNode peer : rule.path("from")) {
                    JsonNode selector = peer.path("podSelector").path("matchLabels");
                    admitted |= !selector.isMissingNode() && peer.path("namespaceSelector").isMissingNode()
                            && isSubset(selector, pod) && rule.path("ports").findValuesAsText("port").contains("5432");
                }
            }
            assertThat(admitted).as(app).isTrue();
        }
    }

    static boolean isSubset(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().equals(labels.path(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static List<ObjectNode> workloads(RenderedChart chart) {
        List<ObjectNode> found = new ArrayList<>(chart.ofKind("Deployment"));
        found.addAll(chart.ofKind("Job"));
        assertThat(found).hasSize(2);
        return found;
    }

    static List<JsonNode> containers(RenderedChart chart) {
        List<JsonNode> found = new ArrayList<>();
        for (ObjectNode workload : workloads(chart)) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            found.addAll(concat(pod.path("initContainers"), pod.path("containers")));
        }
        return found;
    }

    static List<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> all = new ArrayList<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }

    interface Leaf {
        void visit(String path, String value);
    }

    static void walk(JsonNode node, String path, Leaf leaf) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), leaf));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", leaf);
            }
        } else {
            leaf.visit(path, node.asText());
        }
    }
}
