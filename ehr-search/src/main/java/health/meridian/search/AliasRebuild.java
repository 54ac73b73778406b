package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import health.meridian.domain.search.IndexUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The steps of a zero-downtime rebuild that every index behind an alias shares: create a new timestamped index from
 * the versioned mapping, swap the alias to it in one request (then delete the old ones), or drop it on abort.
 */
final class AliasRebuild {

    private AliasRebuild() {
    }

    /** Creates {@code <concrete index>-<UTC timestamp>} with the mapping file of {@code names}; returns its name. */
    static String create(ElasticsearchClient client, IndexNames names) throws IndexUnavailableException {
        String index = names.concreteIndex() + "-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        try (InputStream mapping = AliasRebuild.class.getResourceAsStream(names.mappingResource())) {
            if (mapping == null) {
                throw new IOException("EHR-0214 missing mapping file " + names.mappingResource());
            }
            client.indices().create(c -> c.index(index).withJson(mapping));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0231 could not create " + index + ": " + e.getMessage(), e);
        }
        return index;
    }

    /** Refreshes the rebuilt index, points the alias (as write index) at it alone, then deletes the indexes it left. */
    static void swap(ElasticsearchClient client, IndexNames names, String rebuildIndex)
            throws IndexUnavailableException {
        try {
            client.indices().refresh(r -> r.index(rebuildIndex));
            List<String> previous = new ArrayList<>(client.indices().getAlias(a -> a.name(names.alias())).result()
                    .keySet());
            previous.remove(rebuildIndex);
            client.indices().updateAliases(u -> {
                previous.forEach(old -> u.actions(a -> a.remove(r -> r.index(old).alias(names.alias()))));
                return u.actions(a -> a.add(d -> d.index(rebuildIndex).alias(names.alias()).isWriteIndex(true)));
            });
            for (String old : previous) {
                client.indices().delete(d -> d.index(old));
            }
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0234 could not swap the alias to " + rebuildIndex + ": "
                    + e.getMessage(), e);
        }
    }

    /** Deletes an abandoned rebuild index; a failure is only logged (the next rebuild uses a new name). */
    static void drop(ElasticsearchClient client, String rebuildIndex) {
        try {
            client.indices().delete(d -> d.index(rebuildIndex).ignoreUnavailable(true));
        } catch (IOException | RuntimeException e) {
            Logger.getLogger(AliasRebuild.class.getName()).warning("EHR-0235 could not delete " + rebuildIndex + ": "
                    + e.getMessage());
        }
    }
}
