package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.JsonpDeserializer;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.TenantId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records index document keeps the resource's JSON as one string (ADR 0037), and a hit gives that string back
 * as it was sent: decimals with their precision, exponents as written, escapes and non-ASCII text intact.
 */
class RecordDocumentTest {

    /** As a client may send them: trailing zero, tiny, integer, exponent, negative zero, many digits. */
    private static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":"
            + "{\"versionId\":\"2\"},\"status\":\"final\",\"valueQuantity\":{\"value\":7.10,\"unit\":\"%\"},"
            + "\"component\":[{\"valueQuantity\":{\"value\":0.0000001}},{\"valueQuantity\":{\"value\":100}},"
            + "{\"valueQuantity\":{\"value\":1.50e3}},{\"valueQuantity\":{\"value\":-0.0}},"
            + "{\"valueQuantity\":{\"value\":3.14159265358979323846264338327950288}}],"
            + "\"note\":[{\"text\":\"Zoë said \\\"ok\\\"\\n\\u2028\"}]}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Scope AMSTEL = Scope.tenants(List.of(TenantId.of("nl-amstel")));

    private static IndexedRecord record(String json) {
        RecordEnvelope envelope = new RecordEnvelope("Patient/p1", Instant.parse("2024-05-01T08:10:00Z"),
                List.of("http://terminology.hl7.org/CodeSystem/observation-category|laboratory"),
                List.of("http://loinc.org|4548-4"), List.of(), List.of(), null);
        StoredResource s = new StoredResource(new ResourceKey(TenantId.of("nl-amstel"), "Observation", "o1"), 2,
                "person-1", false, json, Instant.parse("2024-05-02T00:00:00Z"), envelope);
        return new IndexedRecord(s, Map.of("status", "final", "resource", Map.of("stale", true)));
    }

    @Test
    void theDocumentHoldsTheResourceJsonAsOneStringCharacterForCharacter() throws Exception {
        JsonNode doc = JSON.readTree(RecordDocument.json(record(OBSERVATION), JSON));

        assertThat(doc.path(RecordDocument.RESOURCE).isTextual()).isTrue();
        assertThat(doc.path(RecordDocument.RESOURCE).textValue()).isEqualTo(OBSERVATION);
        assertThat(doc.has("resource")).as("no resource object for Elasticsearch to parse").isFalse();
        assertThat(doc.path("doc_key").asText()).isEqualTo("nl-amstel/Observation/o1");
        assertThat(doc.path("version").asLong()).isEqualTo(2);
        assertThat(doc.path("status").asText()).isEqualTo("final");
        assertThat(doc.path("codes_code").get(0).asText()).isEqualTo("4548-4");
    }

    @Test
    void theMappingStoresTheResourceUnindexedAndLeavesItOutOfSource() throws Exception {
        JsonNode mappings;
        try (InputStream in = getClass().getResourceAsStream(IndexNames.records().mappingResource())) {
            mappings = JSON.readTree(in).path("mappings");
        }
        JsonNode field = mappings.path("properties").path(RecordDocument.RESOURCE);
        // text, not keyword: a keyword value over 32 KB is refused (Lucene's term limit), even unindexed
        assertThat(field.path("type").asText()).isEqualTo("text");
        assertThat(field.path("index").asBoolean(true)).isFalse();
        assertThat(field.path("store").asBoolean()).isTrue();
        assertThat(mappings.path("_source").path("excludes").get(0).asText()).isEqualTo(RecordDocument.RESOURCE);
        assertThat(mappings.path("properties").has("resource")).isFalse();
        assertThat(IndexNames.records().concreteIndex()).isEqualTo("meridian-records-v3");
    }

    @Test
    void aHitAnswersTheStoredStringExactlyThroughTheClientsParser() throws Exception {
        SearchResult result = QueryResults.from(response(hit("meridian-records-v3", OBSERVATION)), query(true));

        SearchResult.Hit hit = result.hits().get(0);
        assertThat(hit.json()).isEqualTo(OBSERVATION);
        assertThat(hit.json()).contains("\"value\":7.10").contains("\"value\":0.0000001").contains("1.50e3");
        assertThat(hit.version()).isEqualTo(2);
        assertThat(hit.fields()).containsEntry("patient", "Patient/p1").doesNotContainKey("resource");
        assertThat(hit.sortValues()).containsExactly(1714551000000L, "nl-amstel/Observation/o1");
    }

    @Test
    void aHitWithoutTheResourceIsRefusedWhenTheResourceWasAskedFor() throws Exception {
        // a document of the v2 mapping: the resource only in _source, which Elasticsearch rewrites through doubles
        String v2 = "{\"_index\":\"meridian-records-v2\",\"_id\":\"nl-amstel/Observation/o1\",\"_source\":"
                + "{\"tenant\":\"nl-amstel\",\"type\":\"Observation\",\"id\":\"o1\",\"version\":2,"
                + "\"resource\":{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":7.1}}},"
                + "\"sort\":[1,\"k\"]}";

        assertThatThrownBy(() -> QueryResults.from(response(v2), query(true)))
                .hasMessageContaining("EHR-0537").hasMessageContaining("meridian-records-v2");
        SearchResult.Hit withoutResource = QueryResults.from(response(v2), query(false)).hits().get(0);
        assertThat(withoutResource.json()).isNull();
        assertThat(withoutResource.fields()).doesNotContainKey("resource");
    }

    @Test
    void theCurrentMappingIsTheConcreteIndexOrOneOfItsRebuilds() {
        IndexNames records = IndexNames.records();
        assertThat(records.current("meridian-records-v3")).isTrue();
        assertThat(records.current("meridian-records-v3-20261207120000")).isTrue();
        assertThat(records.current("meridian-records-v2")).isFalse();
        assertThat(records.current("meridian-records-v2-20261207120000")).isFalse();
        assertThat(records.current("meridian-records-v30")).isFalse();
    }

    private static RecordQuery query(boolean withResource) {
        return new RecordQuery(AMSTEL, List.of("Observation"), List.of(), List.of(), 10, List.of(), List.of(), false,
                withResource);
    }

    private static String hit(String index, String resource) throws Exception {
        return "{\"_index\":\"" + index + "\",\"_id\":\"nl-amstel/Observation/o1\",\"_source\":{\"tenant\":"
                + "\"nl-amstel\",\"type\":\"Observation\",\"id\":\"o1\",\"version\":2,\"patient\":\"Patient/p1\"},"
                + "\"fields\":{\"" + RecordDocument.RESOURCE + "\":[" + JSON.writeValueAsString(resource) + "]},"
                + "\"sort\":[1714551000000,\"nl-amstel/Observation/o1\"]}";
    }

    /** A search response as Elasticsearch sends it, read by the Java client as the adapter reads it. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static SearchResponse<Map<String, Object>> response(String hit) {
        String body = "{\"took\":1,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,"
                + "\"failed\":0},\"hits\":{\"total\":{\"value\":1,\"relation\":\"eq\"},\"hits\":[" + hit + "]}}";
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        var parser = mapper.jsonProvider().createParser(new java.io.ByteArrayInputStream(
                body.getBytes(StandardCharsets.UTF_8)));
        JsonpDeserializer<Map<String, Object>> source = (JsonpDeserializer) JsonpDeserializer.of(Map.class);
        return SearchResponse.createSearchResponseDeserializer(source).deserialize(parser, mapper);
    }
}
