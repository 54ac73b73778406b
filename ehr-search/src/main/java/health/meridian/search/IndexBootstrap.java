package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.InputStream;

/** Creates the versioned index from its mapping file and points the alias at it, if neither exists yet. */
public final class IndexBootstrap {

    private IndexBootstrap() {
    }

    public static void ensure(ElasticsearchClient client, IndexNames names) throws IOException {
        if (client.indices().existsAlias(a -> a.name(names.alias())).value()) {
            if (names.equals(IndexNames.records())) {
                addNewFields(client, names);
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
        return !targets.isEmpty() && targets.stream().allMatch(i -> i.equals(names.concreteIndex())
                || i.startsWith(names.concreteIndex() + "-"));
    }

    /**
     * Fields added to the mapping file after an index was created (additive only, e.g. {@code concept_codes} of
     * issue #8) are put on the existing index, so strict mapping does not refuse new documents. Documents indexed
     * before lack the field until they are re-shipped (rebuild or a new version).
     */
    private static void addNewFields(ElasticsearchClient client, IndexNames names) throws IOException {
        client.indices().putMapping(p -> p.index(names.alias()).properties("concept_codes",
                co.elastic.clients.elasticsearch._types.mapping.Property.of(x -> x.keyword(k -> k))));
        // ADR 0017: the effective time as the source recorded it (offset kept), shown by the timeline.
        client.indices().putMapping(p -> p.index(names.alias()).properties("effective_recorded",
                co.elastic.clients.elasticsearch._types.mapping.Property.of(x -> x.keyword(k -> k.index(false)))));
    }
}
