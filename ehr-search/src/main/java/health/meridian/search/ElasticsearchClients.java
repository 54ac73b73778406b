package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/** Builds the client with short timeouts so that an unreachable cluster fails fast (well under a second to connect). */
public final class ElasticsearchClients {

    private ElasticsearchClients() {
    }

    public static ElasticsearchClient create(String url) {
        RestClient rest = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(c -> c.setConnectTimeout(500).setSocketTimeout(10_000))
                .build();
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }
}
