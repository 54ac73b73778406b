package health.meridian.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.PersonIndex;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.tenant.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The person cohort index on Elasticsearch. The local distribution has no painless, so a person's document is
 * rewritten by read-modify-write: the batch's persons are read with {@code _mget} (with their sequence numbers),
 * changed in Java ({@link PersonDocuments}) and written back in one {@code _bulk} with {@code if_seq_no}/
 * {@code if_primary_term} (or {@code create} for a new person). A concurrent writer makes the write fail with 409
 * and the whole batch is retried by the caller after re-reading: nothing is lost or applied twice.
 */
public class ElasticsearchPersonIndex implements PersonIndex {

    private final ElasticsearchClient client;
    private final IndexNames names;
    private volatile String rebuildTarget;

    public ElasticsearchPersonIndex(ElasticsearchClient client, IndexNames names) {
        this.client = client;
        this.names = names;
    }

    @Override
    public void apply(List<IndexedRecord> records) throws IndexUnavailableException {
        Map<String, List<PersonDocuments.Change>> changes = changes(records);
        String target = rebuildTarget;
        rewrite(names.alias(), changes, PersonDocuments::applyAll);
        if (target != null) {
            try {
                rewrite(target, changes, PersonDocuments::applyAll);
            } catch (IndexUnavailableException e) {
                // the index being rebuilt: its closing reconciliation reports any difference
            }
        }
    }

    @Override
    public void load(String rebuildIndex, List<IndexedRecord> records) throws IndexUnavailableException {
        Map<String, List<PersonDocuments.Change>> changes = changes(records);
        for (int attempt = 1; ; attempt++) {
            try {
                rewrite(rebuildIndex, changes, PersonDocuments::applyAll);
                return;
            } catch (IndexUnavailableException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, List<PersonDocuments.Change>> changes(List<IndexedRecord> records) {
        Map<String, List<PersonDocuments.Change>> byPerson = new LinkedHashMap<>();
        for (IndexedRecord r : records) {
            PersonDocuments.change(r).ifPresent(c -> byPerson.computeIfAbsent(c.person(), p -> new ArrayList<>())
                    .add(c));
        }
        return byPerson;
    }

    /**
     * One read-modify-write of every person named: {@code _mget}, each document changed once with all its changes
     * (in order), conditional {@code _bulk}.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private <T> void rewrite(String index, Map<String, List<T>> changes,
                             BiConsumer<Map<String, Object>, List<T>> change)
            throws IndexUnavailableException {
        if (changes.isEmpty()) {
            return;
        }
        try {
            MgetResponse<Map> read = client.mget(m -> m.index(index).ids(List.copyOf(changes.keySet())), Map.class);
            List<BulkOperation> ops = new ArrayList<>();
            for (MultiGetResponseItem<Map> item : read.docs()) {
                if (item.isFailure()) {
                    throw new IndexUnavailableException("EHR-0240 person read failed: " + item.failure().error()
                            .reason(), null);
                }
                GetResult<Map> got = item.result();
                Map<String, Object> doc = got.found() ? new LinkedHashMap<>(got.source()) : new LinkedHashMap<>();
                change.accept(doc, changes.get(got.id()));
                ops.add(write(index, got, doc));
            }
            BulkResponse response = client.bulk(b -> b.operations(ops));
            for (BulkResponseItem item : response.items()) {
                if (item.error() != null && !(item.status() == 404 && "delete".equals(item.operationType().jsonValue()))) {
                    throw new IndexUnavailableException("EHR-0241 person " + item.id() + " not rewritten: "
                            + item.status() + " " + item.error().reason(), null);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0242 person index unreachable: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("rawtypes")
    private static BulkOperation write(String index, GetResult<Map> got, Map<String, Object> doc) {
        String id = got.id();
        if (!got.found()) {
            return PersonDocuments.empty(doc) ? BulkOperation.of(b -> b.delete(d -> d.index(index).id(id)))
                    : BulkOperation.of(b -> b.create(c -> c.index(index).id(id).document(doc)));
        }
        long seqNo = got.seqNo();
        long term = got.primaryTerm();
        if (PersonDocuments.empty(doc)) {
            return BulkOperation.of(b -> b.delete(d -> d.index(index).id(id).ifSeqNo(seqNo).ifPrimaryTerm(term)));
        }
        return BulkOperation.of(b -> b.index(i -> i.index(index).id(id).ifSeqNo(seqNo).ifPrimaryTerm(term)
                .document(doc)));
    }

    @Override
    public Map<String, Entry> entries(TenantId tenant) throws IndexUnavailableException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try {
            eachPerson(client, names.alias(), CohortQueries.hasEntryAt(tenant.value()), List.of("person",
                    "patients.key", "patients.version", "patients.tenant", "events.key", "events.version",
                    "events.tenant"), (id, source) -> {
                        for (String field : List.of(PersonDocuments.PATIENTS, PersonDocuments.EVENTS)) {
                            for (Map<String, Object> e : PersonDocuments.entries(source, field)) {
                                if (tenant.value().equals(e.get("tenant"))) {
                                    out.put((String) e.get("key"), new Entry(id,
                                            ((Number) e.get("version")).longValue()));
                                }
                            }
                        }
                    });
            return out;
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0243 person index unreachable: " + e.getMessage(), e);
        }
    }

    /**
     * Every person document matching {@code query}, in person order, pages of 1,000 by {@code search_after}, with
     * only the {@code includes} fields of its source: {@code each} gets the document id and that source.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static void eachPerson(ElasticsearchClient client, String index, Query query, List<String> includes,
                           BiConsumer<String, Map<String, Object>> each) throws IOException {
        List<FieldValue> after = null;
        while (true) {
            final List<FieldValue> cursor = after;
            SearchResponse<Map> page = client.search(s -> {
                s.index(index).size(1000).query(query).trackTotalHits(t -> t.enabled(false))
                        .source(src -> src.filter(f -> f.includes(includes)))
                        .sort(o -> o.field(f -> f.field("person")));
                if (cursor != null) {
                    s.searchAfter(cursor);
                }
                return s;
            }, Map.class);
            List<Hit<Map>> hits = page.hits().hits();
            hits.forEach(h -> each.accept(h.id(), (Map<String, Object>) h.source()));
            if (hits.size() < 1000) {
                return;
            }
            after = hits.get(hits.size() - 1).sort();
        }
    }

    @Override
    public void remove(Map<String, Entry> entries) throws IndexUnavailableException {
        Map<String, List<String>> byPerson = new LinkedHashMap<>();
        entries.forEach((key, e) -> byPerson.computeIfAbsent(e.person(), p -> new ArrayList<>()).add(key));
        rewrite(names.alias(), byPerson, (doc, keys) -> keys.forEach(k -> PersonDocuments.remove(doc, k)));
    }

    @Override
    public synchronized String beginRebuild() throws IndexUnavailableException {
        if (rebuildTarget != null) {
            throw new IllegalStateException("EHR-0230 a rebuild into " + rebuildTarget + " is already running");
        }
        rebuildTarget = AliasRebuild.create(client, names);
        return rebuildTarget;
    }

    @Override
    public synchronized void completeRebuild(String rebuildIndex) throws IndexUnavailableException {
        AliasRebuild.swap(client, names, rebuildIndex);
        rebuildTarget = null;
    }

    @Override
    public synchronized void abortRebuild(String rebuildIndex) {
        rebuildTarget = null;
        AliasRebuild.drop(client, rebuildIndex);
    }

    @Override
    public void refresh() throws IndexUnavailableException {
        try {
            client.indices().refresh(r -> r.index(names.alias()));
        } catch (IOException | RuntimeException e) {
            throw new IndexUnavailableException("EHR-0244 person index unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public long persons() {
        try {
            return client.count(c -> c.index(names.alias())).count();
        } catch (IOException | RuntimeException e) {
            return -1;
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
