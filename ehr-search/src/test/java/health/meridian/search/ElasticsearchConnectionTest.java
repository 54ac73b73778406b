package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Elasticsearch connection settings: the local plain mode unchanged, a secured cluster with TLS (a CA of its
 * own, made here with keytool) and basic authentication or an API key — against a small HTTPS server that answers
 * like Elasticsearch's cluster health, so the handshake and the credentials are real.
 */
class ElasticsearchConnectionTest {

    @TempDir
    static Path dir;
    static Path caPem;
    static HttpsServer server;
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    static final java.util.concurrent.atomic.AtomicInteger challenges = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void startHttpsServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "es", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=meridian-search-es-http", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        caPem = dir.resolve("ca.crt");
        keytool("-exportcert", "-rfc", "-alias", "es", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/_cluster/health", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                challenges.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                authorizations.add(auth);
                byte[] body = "{\"status\":\"green\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static String httpsUrl() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    @Test
    void theLocalPlainModeNeedsOnlyAnHttpUrl() {
        ElasticsearchConnection plain = ElasticsearchConnection.of("http://127.0.0.1:59200", null, "", " ", null);
        assertThat(plain.secured()).isFalse();
        assertThat(plain.username()).isEmpty();
        assertThat(plain.apiKey()).isEmpty();
        assertThat(plain.caFile()).isEmpty();
        assertThat(ElasticsearchConnection.plain("http://127.0.0.1:59200")).isEqualTo(plain);
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirCode() {
        assertCode(() -> ElasticsearchConnection.of(null, null, null, null, null), "EHR-1100");
        assertCode(() -> ElasticsearchConnection.of("ftp://es:9200", null, null, null, null), "EHR-1100");
        assertCode(() -> ElasticsearchConnection.of("es 9200", null, null, null, null), "EHR-1100");
        assertCode(() -> ElasticsearchConnection.of("https://es:9200", "meridian", null, null, null), "EHR-1101");
        assertCode(() -> ElasticsearchConnection.of("https://es:9200", null, "pw", null, null), "EHR-1101");
        assertCode(() -> ElasticsearchConnection.of("https://es:9200", "meridian", "pw", "key", null), "EHR-1102");
        assertCode(() -> ElasticsearchConnection.of("http://es:9200", "meridian", "pw", null, null), "EHR-1103");
        assertCode(() -> ElasticsearchConnection.of("http://es:9200", null, null, "key", null), "EHR-1103");
        assertCode(() -> ElasticsearchConnection.of("http://es:9200", null, null, null, "/ca.crt"), "EHR-1104");
    }

    @Test
    void severalNodesOfOneClusterAreCommaSeparatedAndShareOneScheme() {
        ElasticsearchConnection c = ElasticsearchConnection.plain(
                "http://127.0.0.1:59231, http://127.0.0.1:59232,http://127.0.0.1:59233");
        assertThat(c.urls()).extracting(java.net.URI::getPort).containsExactly(59231, 59232, 59233);
        assertThat(c.url().getPort()).isEqualTo(59231);
        assertThat(c.secured()).isFalse();
        assertCode(() -> ElasticsearchConnection.of("http://es-0:9200,https://es-1:9200", null, null, null, null),
                "EHR-1300");
        assertCode(() -> ElasticsearchConnection.of("http://es-0:9200,http://es-0:9200", null, null, null, null),
                "EHR-1301");
        assertCode(() -> ElasticsearchConnection.of("http://es-0:9200,", null, null, null, null), "EHR-1100");
        // credentials are checked against the one scheme of all nodes
        assertCode(() -> ElasticsearchConnection.of("http://es-0:9200,http://es-1:9200", "u", "p", null, null),
                "EHR-1103");
    }

    /** A node that does not answer (nothing listens on its port) costs a retry on the next node, not a failure. */
    @Test
    void aRequestFailsOverToTheNextNodeWhenOneIsDown() throws IOException {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        ElasticsearchConnection c = ElasticsearchConnection.of("https://localhost:" + dead + "," + httpsUrl(),
                "meridian-app", "s3cret", null, caPem.toString());
        try (RestClient client = ElasticsearchClients.restClient(c).build()) {
            for (int i = 0; i < 4; i++) { // round-robin would put every other request on the dead node
                assertThat(client.performRequest(new Request("GET", "/_cluster/health")).getStatusLine()
                        .getStatusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsRefused() throws IOException {
        Path notACert = Files.writeString(dir.resolve("not-a-cert.pem"), "-----BEGIN NOTHING-----\n");
        ElasticsearchConnection c = ElasticsearchConnection.of(httpsUrl(), null, null, null, notACert.toString());
        assertCode(() -> ElasticsearchClients.sslContext(c), "EHR-1105");
        ElasticsearchConnection missing = ElasticsearchConnection.of(httpsUrl(), null, null, null, "/nonexistent/ca.crt");
        assertCode(() -> ElasticsearchClients.sslContext(missing), "EHR-1105");
    }

    @Test
    void basicAuthenticationOverTlsWithTheClustersOwnCa() throws IOException {
        ElasticsearchConnection c = ElasticsearchConnection.of(httpsUrl(), "meridian-app", "s3cret", null, caPem.toString());
        int before = challenges.get();
        try (RestClient client = ElasticsearchClients.restClient(c).build()) {
            for (int i = 0; i < 3; i++) {
                Response response = client.performRequest(new Request("GET", "/_cluster/health"));
                assertThat(response.getStatusLine().getStatusCode()).isEqualTo(200);
            }
        }
        assertThat(challenges.get() - before).as("the credentials go with every request, unasked").isZero();
        assertThat(authorizations).contains("Basic " + java.util.Base64.getEncoder()
                .encodeToString("meridian-app:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anApiKeyIsSentAsItsHeader() throws IOException {
        ElasticsearchConnection c = ElasticsearchConnection.of(httpsUrl(), null, null, "a2V5OnNlY3JldA==", caPem.toString());
        try (RestClient client = ElasticsearchClients.restClient(c).build()) {
            assertThat(client.performRequest(new Request("GET", "/_cluster/health")).getStatusLine().getStatusCode())
                    .isEqualTo(200);
        }
        assertThat(authorizations).contains("ApiKey a2V5OnNlY3JldA==");
    }

    @Test
    void aClusterWhoseCaIsNotTrustedIsNotSpokenTo() {
        // no CA file: the JVM's trust store, which does not know the cluster's self-signed CA
        ElasticsearchConnection c = ElasticsearchConnection.of(httpsUrl(), "meridian-app", "s3cret", null, null);
        assertThatThrownBy(() -> {
            try (RestClient client = ElasticsearchClients.restClient(c).build()) {
                client.performRequest(new Request("GET", "/_cluster/health"));
            }
        }).hasStackTraceContaining("PKIX");
    }

    @Test
    void theHostnameIsVerified() throws IOException {
        // the certificate names localhost and 127.0.0.1, not this host name
        String otherName = "https://meridian-search-other:" + server.getAddress().getPort();
        ElasticsearchConnection c = ElasticsearchConnection.of(otherName, "u", "p", null, caPem.toString());
        assertThatThrownBy(() -> {
            try (RestClient client = ElasticsearchClients.restClient(c).build()) {
                client.performRequest(new Request("GET", "/_cluster/health"));
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void credentialsNeverAppearInTheConnectionsDescription() {
        ElasticsearchConnection c = ElasticsearchConnection.of(httpsUrl(), "meridian-app", "s3cret", null, caPem.toString());
        assertThat(c.toString()).contains("meridian-app").doesNotContain("s3cret");
        ElasticsearchConnection k = ElasticsearchConnection.of(httpsUrl(), null, null, "a2V5OnNlY3JldA==", null);
        assertThat(k.toString()).doesNotContain("a2V5");
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOf(ElasticsearchConnection.InvalidConnection.class)
                .hasMessageStartingWith(code)
                .satisfies(e -> assertThat(((ElasticsearchConnection.InvalidConnection) e).code()).isEqualTo(code));
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
