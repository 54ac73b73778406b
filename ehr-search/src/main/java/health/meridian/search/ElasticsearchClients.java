package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Builds the client with short timeouts so that an unreachable cluster fails fast (well under a second to connect),
 * in the local plain mode or against a secured cluster (TLS, basic authentication or an API key, a CA of its own).
 */
public final class ElasticsearchClients {

    private ElasticsearchClients() {
    }

    /** The local plain mode. */
    public static ElasticsearchClient create(String url) {
        return create(ElasticsearchConnection.plain(url));
    }

    public static ElasticsearchClient create(ElasticsearchConnection connection) {
        RestClient rest = restClient(connection).build();
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    static RestClientBuilder restClient(ElasticsearchConnection connection) {
        // every node of the cluster: the low-level client round-robins and, when a node does not answer, retries the
        // request on the next one and leaves the dead node out (with growing back-off) until it answers again
        RestClientBuilder builder = RestClient.builder(connection.urls().stream()
                        .map(u -> HttpHost.create(u.toString())).toArray(HttpHost[]::new))
                .setRequestConfigCallback(c -> c.setConnectTimeout(500).setSocketTimeout(10_000));
        // Credentials go as a header on every request (preemptive, as Elasticsearch expects), and HttpClient's auth
        // cache is off: the low-level client fills it with a Basic scheme for every node, credentials or not, and the
        // cache deserializes that scheme again on every request (about 2 % of a search's CPU in the app, JFR of the
        // audited-reads benchmark, docs/benchmarks.md). Basic credentials only over TLS.
        Header authorization = connection.apiKey().map(key -> new BasicHeader("Authorization", "ApiKey " + key))
                .or(() -> connection.username().filter(user -> connection.secured()).map(user -> new BasicHeader(
                        "Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":"
                                + connection.password().orElseThrow()).getBytes(StandardCharsets.UTF_8)))))
                .orElse(null);
        if (authorization != null) {
            builder.setDefaultHeaders(new Header[] {authorization});
        }
        SSLContext ssl = connection.secured() ? sslContext(connection) : null;
        builder.setHttpClientConfigCallback(http -> {
            http.disableAuthCaching();
            return ssl == null ? http : http.setSSLContext(ssl);
        });
        return builder;
    }

    /** Trusts the configured CA file only, if there is one; otherwise the JVM's trust store. Hostnames are verified. */
    static SSLContext sslContext(ElasticsearchConnection connection) {
        try {
            if (connection.caFile().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate ca : certificates(connection)) {
                trusted.setCertificateEntry("meridian-es-ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new ElasticsearchConnection.InvalidConnection("EHR-1105",
                    "cannot trust the CA of meridian.es.ca-file " + connection.caFile().orElse(null) + ": " + e.getMessage());
        }
    }

    private static Collection<? extends Certificate> certificates(ElasticsearchConnection connection)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(connection.caFile().orElseThrow())) {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (found.isEmpty()) {
                throw new GeneralSecurityException("no certificate in the file");
            }
            return found;
        }
    }
}
