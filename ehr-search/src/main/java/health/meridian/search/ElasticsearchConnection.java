package health.meridian.search;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the app reaches Elasticsearch: the local plain mode (an http URL, no credentials) or a secured cluster (an
 * https URL; username and password or an API key; optionally the CA certificate that signed the cluster's HTTP
 * certificate, e.g. ECK's {@code <name>-es-http-certs-public} secret mounted as a file). Validated when built:
 * a setting that cannot work is refused at start, with a stable code, rather than at the first query.
 *
 * <p>{@code meridian.es.url} may name several nodes of one cluster, comma-separated
 * ({@code http://127.0.0.1:59231,http://127.0.0.1:59232,http://127.0.0.1:59233}): the client spreads requests over
 * them and retries a request on the next node when one does not answer (a node that failed is left out for a while),
 * so losing one node of a three-node cluster costs searches nothing but a retry (docs/deploy.md "Multi-node drill").
 * All nodes share one scheme, and so one set of credentials and one CA.
 */
public record ElasticsearchConnection(List<URI> urls, Optional<String> username, Optional<String> password,
                                      Optional<String> apiKey, Optional<Path> caFile) {

    public ElasticsearchConnection {
        if (urls == null || urls.isEmpty()) {
            throw new InvalidConnection("EHR-1100", "meridian.es.url must be an http or https URL with a host: " + urls);
        }
        urls = List.copyOf(urls);
        for (URI url : urls) {
            if (url == null || url.getHost() == null
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new InvalidConnection("EHR-1100", "meridian.es.url must be an http or https URL with a host: " + url);
            }
        }
        URI url = urls.get(0);
        for (URI other : urls) {
            if (!url.getScheme().equals(other.getScheme())) {
                throw new InvalidConnection("EHR-1300", "the nodes of meridian.es.url must all be http or all be https: "
                        + urls);
            }
        }
        if (urls.stream().map(u -> u.getHost() + ":" + u.getPort()).distinct().count() != urls.size()) {
            throw new InvalidConnection("EHR-1301", "meridian.es.url names a node twice: " + urls);
        }
        username = blankToEmpty(username);
        password = blankToEmpty(password);
        apiKey = blankToEmpty(apiKey);
        if (username.isPresent() != password.isPresent()) {
            throw new InvalidConnection("EHR-1101", "meridian.es.username and meridian.es.password go together");
        }
        if (username.isPresent() && apiKey.isPresent()) {
            throw new InvalidConnection("EHR-1102", "set either meridian.es.username/password or meridian.es.api-key, not both");
        }
        boolean plain = "http".equals(url.getScheme());
        if (plain && (username.isPresent() || apiKey.isPresent())) {
            throw new InvalidConnection("EHR-1103", "credentials for Elasticsearch are only sent over https (" + url + ")");
        }
        if (plain && caFile.isPresent()) {
            throw new InvalidConnection("EHR-1104", "meridian.es.ca-file needs an https meridian.es.url (" + url + ")");
        }
    }

    /** The local plain mode: http, no credentials (the local stack and the integration tests). */
    public static ElasticsearchConnection plain(String url) {
        return of(url, null, null, null, null);
    }

    /** From configuration values, each null or blank when not set. */
    public static ElasticsearchConnection of(String url, String username, String password, String apiKey, String caFile) {
        List<URI> uris = new ArrayList<>();
        if (url != null) {
            for (String one : url.split(",", -1)) {
                try {
                    uris.add(URI.create(one.trim()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidConnection("EHR-1100", "meridian.es.url is not a URL: " + url);
                }
            }
        }
        return new ElasticsearchConnection(uris, Optional.ofNullable(username), Optional.ofNullable(password),
                Optional.ofNullable(apiKey), Optional.ofNullable(caFile).filter(s -> !s.isBlank()).map(Path::of));
    }

    /** The first node (all share its scheme). */
    public URI url() {
        return urls.get(0);
    }

    public boolean secured() {
        return "https".equals(url().getScheme());
    }

    private static Optional<String> blankToEmpty(Optional<String> value) {
        return value == null ? Optional.empty() : value.filter(s -> !s.isBlank());
    }

    /** A connection setting that cannot work; the message starts with its stable code. */
    public static final class InvalidConnection extends IllegalArgumentException {
        private final String code;

        public InvalidConnection(String code, String message) {
            super(code + " " + message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    @Override
    public String toString() {
        return "ElasticsearchConnection[" + (urls.size() == 1 ? url() : urls) + (username.isPresent() ? ", user " + username.get() : "")
                + (apiKey.isPresent() ? ", api key" : "") + caFile.map(f -> ", CA " + f).orElse("") + "]";
    }
}
