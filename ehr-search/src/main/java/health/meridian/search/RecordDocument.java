package health.meridian.search;

import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.search.params.IndexFields;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One resource version's document in the records index (mapping {@code records-v3.json}, ADR 0037): the derived
 * fields in {@code _source}, and the resource's JSON as one string in the stored, unindexed field
 * {@value #RESOURCE} — left out of {@code _source} by the mapping. A search fetches that field as stored, so
 * Elasticsearch neither parses nor rewrites the resource: its decimals come back as they were sent (source
 * filtering writes a JSON number through a double: 7.10 became 7.1, 0.0000001 became 1.0E-7).
 */
final class RecordDocument {

    /** The stored field holding the resource's JSON, character for character as shipped. */
    static final String RESOURCE = "resource_json";

    /**
     * The fields a hit carries from {@code _source} (an include list: Elasticsearch's filtering of the rest — codes,
     * identifiers, names, … about 1.5 KB a document — cost more than fetching the resource itself): the hit's
     * identity, the disclosure's person and patient ({@code Disclosure}), the timeline entry's fields
     * ({@code TimelineViews}), the references {@code _include} follows ({@code FhirSearchService}).
     */
    static final List<String> HIT_FIELDS = List.of("tenant", "type", "id", "version", "person", "patient", "kind",
            "title", "detail", "encounter", "status", "effective", "effective_recorded", "refs", IndexFields.REFERENCE);

    private RecordDocument() {
    }

    /** The document of a version that is not a deletion (a deletion has none: its document is deleted). */
    static byte[] json(IndexedRecord r, ObjectMapper mapper) throws JsonProcessingException {
        Map<String, Object> doc = fields(r);
        doc.put(RESOURCE, r.stored().json());
        return mapper.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The resource's JSON a hit carries in its stored field; null when the search asked without it.
     *
     * @throws IllegalStateException (EHR-0537) for a hit without the field although the search asked for it: a
     *     document of an older mapping, which must never be answered from its {@code _source} instead
     */
    static String resource(Hit<?> hit, boolean asked) {
        if (!asked) {
            return null;
        }
        JsonData stored = hit.fields().get(RESOURCE);
        JsonValue value = stored == null ? null : stored.toJson();
        if (value instanceof JsonArray values && values.size() == 1 && values.get(0) instanceof JsonString s) {
            return s.getString();
        }
        throw new IllegalStateException("EHR-0537 the index document " + hit.id() + " in " + hit.index()
                + " holds no " + RESOURCE + " (built with an older mapping; ./meridian reindex)");
    }

    /** Every field of the document but the resource itself. */
    static Map<String, Object> fields(IndexedRecord r) {
        StoredResource s = r.stored();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("doc_key", s.key().documentId());
        doc.put("tenant", s.key().tenant().value());
        doc.put("type", s.key().type());
        doc.put("id", s.key().id());
        doc.put("version", s.version());
        doc.put("person", s.personId());
        doc.put("patient", s.envelope().patientRef());
        doc.put("deleted", s.deleted());
        doc.put("effective", s.envelope().effectiveAt() == null ? null : s.envelope().effectiveAt().toString());
        doc.put("lastUpdated", s.recordedAt().toString());
        doc.put("category", s.envelope().category());
        doc.put("codes", s.envelope().codes());
        doc.put("identifiers", s.envelope().identifiers());
        doc.put("sensitivity", s.envelope().sensitivity());
        doc.put("kind", TimelineKinds.of(s.key().type(), codeParts(s.envelope().category())));
        doc.put("codes_code", codeParts(s.envelope().codes()));
        doc.put("category_code", codeParts(s.envelope().category()));
        doc.put("identifiers_code", codeParts(s.envelope().identifiers()));
        doc.put("sensitivity_code", labelCodes(s.envelope().sensitivity()));
        doc.putAll(r.searchFields());
        doc.remove("resource");
        doc.remove(RESOURCE);
        return doc;
    }

    /** The code (or value) part of {@code system|code} tokens, for searches without a system. */
    private static List<String> codeParts(List<String> tokens) {
        return tokens.stream().map(t -> t.substring(t.indexOf('|') + 1)).distinct().toList();
    }

    /**
     * The code of each security label as the access policy reads it ({@code SensitiveCategory.of}: the part after
     * the last bar), which the search scope's withheld categories are matched against: a system or code that itself
     * contains a '|' must not let a sensitive record through (nor withhold one the policy admits).
     */
    private static List<String> labelCodes(List<String> labels) {
        return labels.stream().map(t -> t.substring(t.lastIndexOf('|') + 1)).distinct().toList();
    }
}
