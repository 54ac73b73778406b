package health.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The app verifies the operators' TLS certificates by host name, so it must connect by a name they put in them:
 * ECK's HTTP certificate carries {@code <service>.<namespace>.svc} and {@code <service>.<namespace>} (not the bare
 * service name; cloud-on-k8s pkg/utils/k8s GetServiceDNSName), CloudNativePG's server certificate the bare name and
 * both of those (api/v1 GetClusterAltDNSNames). The CAs come from the Secrets the operators create.
 */
class TlsNamesTest {

    static final RenderedChart CHART = RenderedChart.render(null);

    @Test
    void theAppReachesElasticsearchByANameInEcksCertificate() {
        URI url = URI.create(env("MERIDIAN_ES_URL").path("value").asText());
        assertThat(url.getScheme()).isEqualTo("https");
        String service = RenderedChart.name(CHART.one("Elasticsearch")) + "-es-http";
        assertThat(url.getHost()).isIn(List.of(service + ".meridian.svc", service + ".meridian"));
        assertThat(env("MERIDIAN_ES_CA_FILE").path("value").asText()).isEqualTo(mountOf("es-ca") + "/ca.crt");
        assertThat(volume("es-ca").path("secret").path("secretName").asText()).isEqualTo(service + "-certs-public");
    }

    @Test
    void theAppVerifiesPostgresqlByANameInCnpgsCertificate() {
        String jdbc = env("MERIDIAN_DB_URL").path("value").asText();
        URI url = URI.create(jdbc.substring("jdbc:".length()));
        String service = RenderedChart.name(CHART.one("Cluster", c -> RenderedChart.name(c).equals("meridian-db"))) + "-rw";
        assertThat(url.getHost()).isIn(List.of(service, service + ".meridian", service + ".meridian.svc"));
        assertThat(url.getQuery()).contains("sslmode=verify-full", "sslrootcert=" + mountOf("db-ca") + "/ca.crt");
        assertThat(volume("db-ca").path("secret").path("secretName").asText()).isEqualTo("meridian-db-ca");
        // only the certificate of CNPG's CA secret, never its key
        assertThat(volume("db-ca").path("secret").path("items").findValuesAsText("key")).containsExactly("ca.crt");
    }

    static JsonNode pod() {
        return CHART.one("Deployment").path("spec").path("template").path("spec");
    }

    static JsonNode env(String name) {
        for (JsonNode e : pod().path("containers").get(0).path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name);
    }

    static String mountOf(String volume) {
        for (JsonNode m : pod().path("containers").get(0).path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                return m.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of " + volume);
    }

    static JsonNode volume(String name) {
        for (JsonNode v : pod().path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
