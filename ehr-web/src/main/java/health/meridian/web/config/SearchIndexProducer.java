package health.meridian.web.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import health.meridian.domain.search.RecordIndex;
import health.meridian.search.ElasticsearchClients;
import health.meridian.search.ElasticsearchRecordIndex;
import health.meridian.search.IndexNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the Elasticsearch adapter behind the {@link RecordIndex} port. */
@ApplicationScoped
public class SearchIndexProducer {

    @Inject
    @ConfigProperty(name = "meridian.es.url")
    String url;

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
            client = ElasticsearchClients.create(url);
        }
        return client;
    }
}
