package health.meridian.web.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import health.meridian.domain.search.RecordIndex;
import health.meridian.search.ElasticsearchClients;
import health.meridian.search.ElasticsearchConnection;
import health.meridian.search.ElasticsearchRecordIndex;
import health.meridian.search.IndexNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the Elasticsearch adapter behind the {@link RecordIndex} port. */
@ApplicationScoped
public class SearchIndexProducer {

    @Inject
    @ConfigProperty(name = "meridian.es.url")
    String url;

    /** A secured cluster (ECK): basic authentication or an API key, and the CA of its HTTP certificate. */
    @Inject
    @ConfigProperty(name = "meridian.es.username")
    Optional<String> username;

    @Inject
    @ConfigProperty(name = "meridian.es.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "meridian.es.api-key")
    Optional<String> apiKey;

    @Inject
    @ConfigProperty(name = "meridian.es.ca-file")
    Optional<String> caFile;

    private ElasticsearchClient client;

    @Produces
    @ApplicationScoped
    public RecordIndex recordIndex() {
        return new ElasticsearchRecordIndex(client(), IndexNames.records());
    }

    /** The person cohort index (issue #8), kept by the outbox shipper beside the records index. */
    @Produces
    @ApplicationScoped
    public health.meridian.domain.search.PersonIndex personIndex() {
        return new health.meridian.search.ElasticsearchPersonIndex(client(), IndexNames.persons());
    }

    /** Population queries (issue #8) on the person cohort index. */
    @Produces
    @ApplicationScoped
    public health.meridian.domain.search.CohortIndex cohortIndex() {
        return new health.meridian.search.ElasticsearchCohortIndex(client(), IndexNames.persons());
    }

    public synchronized ElasticsearchClient client() {
        if (client == null) {
            client = ElasticsearchClients.create(ElasticsearchConnection.of(url, username.orElse(null),
                    password.orElse(null), apiKey.orElse(null), caFile.orElse(null)));
        }
        return client;
    }
}
