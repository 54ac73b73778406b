package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import health.meridian.domain.cohort.PersonSetSketch;
import java.io.IOException;
import java.util.List;

/**
 * The persons matching a query, summed up as a {@link PersonSetSketch}: person document ids only (no source), pages
 * of 10,000 in person order by {@code search_after}, so each person is seen once and the set is never held.
 */
final class PersonIdPages {

    static final int PAGE = 10_000;

    private PersonIdPages() {
    }

    static PersonSetSketch sketch(ElasticsearchClient client, String index, Query query) throws IOException {
        PersonSetSketch.Builder sketch = PersonSetSketch.builder();
        List<FieldValue> after = null;
        while (true) {
            final List<FieldValue> cursor = after;
            SearchResponse<Void> page = client.search(s -> {
                s.index(index).size(PAGE).query(query).trackTotalHits(t -> t.enabled(false))
                        .source(src -> src.fetch(false)).sort(o -> o.field(f -> f.field("person")));
                if (cursor != null) {
                    s.searchAfter(cursor);
                }
                return s;
            }, Void.class);
            List<Hit<Void>> hits = page.hits().hits();
            hits.forEach(h -> sketch.add(h.id()));
            if (hits.size() < PAGE) {
                return sketch.build();
            }
            after = hits.get(hits.size() - 1).sort();
        }
    }
}
