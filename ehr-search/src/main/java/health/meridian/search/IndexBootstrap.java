package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.InputStream;

/** Creates the versioned index from its mapping file and points the alias at it, if neither exists yet. */
public final class IndexBootstrap {

    /** One replica of every shard when the cluster has a second node; see the mapping files' settings. */
    public static final String AUTO_EXPAND_REPLICAS = "0-1";

    private IndexBootstrap() {
    }

    public static void ensure(ElasticsearchClient client, IndexNames names) throws IOException {
        if (client.indices().existsAlias(a -> a.name(names.alias())).value()) {
            // An index created before the mapping files said so has no replica: on a cluster of several nodes the
            // loss of the one holding its shard would stop search (the multi-node drill, ADR 0029). One replica
            // wherever there is a second node (none on a single-node stack, which therefore stays green).
            client.indices().putSettings(p -> p.index(names.alias()).settings(st -> st.autoExpandReplicas(
                    AUTO_EXPAND_REPLICAS)));
            if (names.equals(IndexNames.records())) {
                if (!current(client, names)) {
                    addNewFields(client, names);
                    java.util.logging.Logger.getLogger(IndexBootstrap.class.getName()).warning("EHR-0216 the"
                            + " records index was built with an older mapping than " + names.concreteIndex()
                            + ": FHIR search answers 503 (EHR-0536) until it is rebuilt (./meridian reindex)");
                }
            } else if (names.equals(IndexNames.persons()) && !current(client, names)) {
                // Writes must keep succeeding (strict mapping); cohort queries refuse until the rebuild.
                client.indices().putMapping(p -> p.index(names.alias()).withJson(new java.io.StringReader(
                        "{\"properties\":{\"solo\":{\"properties\":{\"tenant\":{\"type\":\"keyword\"},"
                        + "\"gender\":{\"type\":\"keyword\"},\"birthdate\":{\"type\":\"date\",\"format\":"
                        + "\"strict_date_optional_time||yyyy||yyyy-MM\"}}},\"events\":{\"type\":\"nested\","
                        + "\"properties\":{\"code_day\":{\"type\":\"long\"},"
                        + "\"scoped_codes\":{\"type\":\"keyword\"}}}}}")));
                java.util.logging.Logger.getLogger(IndexBootstrap.class.getName()).warning("EHR-0216 the person"
                        + " cohort index was built with an older mapping than " + names.concreteIndex()
                        + ": cohort queries answer 503 until it is rebuilt (./meridian reindex)");
            }
            return;
        }
        if (!client.indices().exists(e -> e.index(names.concreteIndex())).value()) {
            try (InputStream mapping = IndexBootstrap.class.getResourceAsStream(names.mappingResource())) {
                if (mapping == null) {
                    throw new IOException("EHR-0214 missing mapping file " + names.mappingResource());
                }
                client.indices().create(c -> c.index(names.concreteIndex()).withJson(mapping));
            }
        }
        client.indices().putAlias(a -> a.index(names.concreteIndex()).name(names.alias()).isWriteIndex(true));
    }

    /** Whether every index behind the alias was built from the current mapping version. */
    public static boolean current(ElasticsearchClient client, IndexNames names) throws IOException {
        var targets = client.indices().getAlias(a -> a.name(names.alias())).result().keySet();
        return !targets.isEmpty() && targets.stream().allMatch(names::current);
    }

    /**
     * The current mapping's fields are put on an index built from an older version (additive only), so strict
     * mapping does not refuse new documents; documents indexed before lack them until the rebuild.
     */
    private static void addNewFields(ElasticsearchClient client, IndexNames names) throws IOException {
        try (InputStream mapping = IndexBootstrap.class.getResourceAsStream(names.mappingResource())) {
            if (mapping == null) {
                throw new IOException("EHR-0214 missing mapping file " + names.mappingResource());
            }
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mapping).path("mappings");
            String properties = "{\"properties\":" + tree.path("properties") + "}";
            client.indices().putMapping(p -> p.index(names.alias()).withJson(new java.io.StringReader(properties)));
        }
    }
}
