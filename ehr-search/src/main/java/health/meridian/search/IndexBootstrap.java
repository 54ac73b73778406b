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
}
