package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.SearchResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search mirror on Elasticsearch. Documents are keyed {@code tenant/type/id} and written with external
 * versioning (the resource version), so replays and out-of-order deliveries are harmless. Every query is built by
 * {@link #search} and always carries the tenant filter.
 */
public class ElasticsearchRecordIndex implements RecordIndex {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchClient client;
    private final IndexNames names;
    /** While a rebuild runs: the new index, which receives every shipped change too. */
    private volatile String rebuildTarget;

    public ElasticsearchRecordIndex(ElasticsearchClient client, IndexNames names) {
        this.client = client;
        this.names = names;
    }

    @Override
    public Map<String, String> ship(List<IndexedRecord> records) throws IndexUnavailableException {
        Map<String, String> rejected = new LinkedHashMap<>();
        if (records.isEmpty()) {
            return rejected;
        }
        List<BulkOperation> ops = new ArrayList<>();
        String target = rebuildTarget;
        for (IndexedRecord r : records) {
            BinaryData doc = document(r);
            ops.add(operation(names.alias(), r, doc));
            if (target != null) {
                ops.add(operation(target, r, doc));
            }
        }
        try {
            BulkResponse response = client.bulk(b -> b.operations(ops));
            for (BulkResponseItem item : response.items()) {
                // 409: a newer version is already indexed — the older one is correctly ignored.
                if (item.error() == null || item.status() == 409) {
                    continue;
                }
                if (target != null && target.equals(item.index())) {
                    // the index being rebuilt: a failure there must not hold up the live mirror; the rebuild's
                    // final verification (./meridian verify-index) reports any difference.
                    continue;
                }
                if (item.status() == 429 || item.status() >= 500) {
                    throw new IndexUnavailableException("EHR-0210 bulk item failed: " + item.error().reason(), null);
                }
                rejected.put(item.id(), item.status() + " " + item.error().type() + ": " + item.error().reason());
            }
            return rejected;
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0211 search index unreachable: " + e.getMessage(), e);
        }
    }

    private BulkOperation operation(String index, IndexedRecord r, BinaryData doc) {
        StoredResource s = r.stored();
        String id = s.key().documentId();
        long version = s.version();
        if (s.deleted()) {
            return BulkOperation.of(b -> b.delete(d -> d.index(index).id(id).version(version)
                    .versionType(VersionType.External)));
        }
        return BulkOperation.of(b -> b.index(i -> i.index(index).id(id).version(version)
                .versionType(VersionType.External).document(doc)));
    }

    /** The document's JSON ({@link RecordDocument}); null for a deletion. */
    private BinaryData document(IndexedRecord r) {
        if (r.stored().deleted()) {
            return null;
        }
        try {
            return BinaryData.of(RecordDocument.json(r, fieldsMapper()), ContentType.APPLICATION_JSON);
        } catch (IOException e) {
            throw new IllegalStateException("EHR-0212 index document of " + r.stored().key().documentId()
                    + " not writable", e);
        }
    }

    private ObjectMapper fieldsMapper() {
        return client._jsonpMapper() instanceof JacksonJsonpMapper m ? m.objectMapper() : JSON;
    }

    @Override
    public SearchResult search(RecordQuery query) throws IndexUnavailableException {
        requireCurrent(query);
        Query q = Query.of(b -> b.bool(QueryTranslator.scoped(query)));
        try {
            // The hit's few fields come from _source (the resource is not in it), the resource's JSON from its
            // stored field, untouched (ADR 0037). The fields are read straight into Maps by Jackson (a JsonData hit
            // is first built as a JSON-P tree, then converted).
            @SuppressWarnings({"rawtypes", "unchecked"})
            SearchResponse<Map<String, Object>> response = client.search(s -> {
                s.index(names.alias()).query(q).size(query.count()).trackTotalHits(t -> t.enabled(true))
                        .sort(QueryTranslator.sort(query))
                        .source(src -> src.filter(f -> f.includes(RecordDocument.HIT_FIELDS)));
                if (query.withResource()) {
                    s.storedFields(RecordDocument.RESOURCE);
                }
                if (!query.searchAfter().isEmpty()) {
                    s.searchAfter(query.searchAfter().stream().map(QueryResults::fieldValue).toList());
                }
                query.facets().forEach(field -> s.aggregations(field, a -> a.terms(t -> t.field(field).size(50))));
                if (query.histogram()) {
                    s.aggregations("histogram", a -> a.dateHistogram(h -> h.field("effective")
                            .calendarInterval(CalendarInterval.Month).format("yyyy-MM").minDocCount(1)));
                }
                return s;
            }, (Class<Map<String, Object>>) (Class) Map.class);
            requireCurrentHits(query, response);
            return QueryResults.from(response, query);
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0213 search index unreachable: " + e.getMessage(), e);
        }
    }

    private volatile boolean current;

    /**
     * Refuses a query while the index behind the alias was built from an older mapping — until
     * {@code ./meridian reindex}: one on search-parameter fields (the older documents lack them: answers would be
     * silently incomplete), and one answering resources (the older documents hold the resource only in
     * {@code _source}, whose filtering rewrites decimals through a double: ADR 0037).
     */
    private void requireCurrent(RecordQuery query) throws IndexUnavailableException {
        if (current || !needsCurrentMapping(query)) {
            return;
        }
        try {
            current = IndexBootstrap.current(client, names);
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0213 search index unreachable: " + e.getMessage(), e);
        }
        if (!current) {
            throw olderMapping();
        }
    }

    /**
     * The same refusal when a hit comes from an index of an older mapping although the alias was current when last
     * checked (the alias moved since: a restore, another node's operator): each hit names its index.
     */
    private void requireCurrentHits(RecordQuery query, SearchResponse<?> response) throws IndexUnavailableException {
        if (needsCurrentMapping(query) && !response.hits().hits().stream().allMatch(h -> names.current(h.index()))) {
            current = false;
            throw olderMapping();
        }
    }

    /** A query answering resources (a count answers none), or one on search-parameter fields. */
    private static boolean needsCurrentMapping(RecordQuery query) {
        return query.withResource() && query.count() > 0 || QueryTranslator.usesSearchParameters(query);
    }

    private IndexUnavailableException olderMapping() {
        return new IndexUnavailableException("EHR-0536 the search index was built with an older mapping than "
                + names.concreteIndex() + "; an operator must rebuild it (./meridian reindex)", null);
    }

    /** Exposed for tests: the scoped boolean query the adapter sends. */
    static BoolQuery scoped(RecordQuery query) {
        return QueryTranslator.scoped(query);
    }


    @Override
    public Map<String, Long> versions(health.meridian.domain.tenant.TenantId tenant) throws IndexUnavailableException {
        Map<String, Long> out = new LinkedHashMap<>();
        List<co.elastic.clients.elasticsearch._types.FieldValue> after = null;
        try {
            while (true) {
                final List<co.elastic.clients.elasticsearch._types.FieldValue> cursor = after;
                SearchResponse<Map> page = client.search(s -> {
                    s.index(names.alias()).size(5000).source(src -> src.filter(f -> f.includes("version")))
                            .query(q -> q.term(t -> t.field("tenant").value(tenant.value())))
                            .sort(o -> o.field(f -> f.field("doc_key")));
                    if (cursor != null) {
                        s.searchAfter(cursor);
                    }
                    return s;
                }, Map.class);
                var hits = page.hits().hits();
                hits.forEach(h -> out.put(h.id(), ((Number) h.source().get("version")).longValue()));
                if (hits.size() < 5000) {
                    return out;
                }
                after = hits.get(hits.size() - 1).sort();
            }
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0217 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(List<String> documentIds) throws IndexUnavailableException {
        if (documentIds.isEmpty()) {
            return;
        }
        List<BulkOperation> ops = documentIds.stream()
                .map(id -> BulkOperation.of(b -> b.delete(d -> d.index(names.alias()).id(id)))).toList();
        try {
            client.bulk(b -> b.operations(ops));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0218 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String beginRebuild() throws IndexUnavailableException {
        if (rebuildTarget != null) {
            throw new IllegalStateException("EHR-0230 a rebuild into " + rebuildTarget + " is already running");
        }
        String index = AliasRebuild.create(client, names);
        try {
            client.indices().putSettings(p -> p.index(index).settings(t -> t.refreshInterval(r -> r.time("-1"))));
        } catch (IOException | RuntimeException e) {
            AliasRebuild.drop(client, index);
            throw new IndexUnavailableException("EHR-0231 could not create " + index + ": " + e.getMessage(), e);
        }
        rebuildTarget = index;
        return index;
    }

    @Override
    public void load(String rebuildIndex, List<IndexedRecord> records) throws IndexUnavailableException {
        if (records.isEmpty()) {
            return;
        }
        List<BulkOperation> ops = records.stream().map(r -> operation(rebuildIndex, r, document(r))).toList();
        try {
            BulkResponse response = client.bulk(b -> b.operations(ops));
            for (BulkResponseItem item : response.items()) {
                if (item.error() != null && item.status() != 409) {
                    throw new IndexUnavailableException("EHR-0232 rebuild item " + item.id() + " failed: "
                            + item.error().reason(), null);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0233 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void completeRebuild(String rebuildIndex) throws IndexUnavailableException {
        try {
            client.indices().putSettings(p -> p.index(rebuildIndex).settings(t -> t.refreshInterval(r -> r.time("1s"))));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0234 could not swap the alias to " + rebuildIndex + ": "
                    + e.getMessage(), e);
        }
        AliasRebuild.swap(client, names, rebuildIndex);
        rebuildTarget = null;
    }

    @Override
    public synchronized void abortRebuild(String rebuildIndex) {
        rebuildTarget = null;
        AliasRebuild.drop(client, rebuildIndex);
    }

    @Override
    public String liveIndex() throws IndexUnavailableException {
        try {
            return client.indices().getAlias(a -> a.name(names.alias())).result().keySet().stream().findFirst()
                    .orElseThrow(() -> new IndexUnavailableException("EHR-0236 alias " + names.alias()
                            + " points nowhere", null));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0236 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void refresh() throws IndexUnavailableException {
        try {
            client.indices().refresh(r -> r.index(names.alias()));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0215 search index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean healthy() {
        try {
            HealthStatus status = client.cluster().health(h -> h.timeout(t -> t.time("1s"))).status();
            return status == HealthStatus.Green || status == HealthStatus.Yellow;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void relaxRefresh(boolean relaxed) throws IndexUnavailableException {
        try {
            client.indices().putSettings(p -> p.index(names.alias()).settings(t -> t.refreshInterval(r -> r.time(relaxed
                    ? "30s" : "1s"))));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-1043 refresh interval not changed: " + e.getMessage(), e);
        }
    }
}
