package health.meridian.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.search.SearchResult.Bucket;
import health.meridian.domain.tenant.Institution;
import health.meridian.web.record.TenantService;
import health.meridian.web.record.TimelineService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Shapes a timeline page into the JSON the browser app reads. */
@ApplicationScoped
public class TimelineViews {

    @Inject
    TenantService tenants;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The page as JSON, written by Jackson: JSON-B (Yasson) spent a tenth of a page's CPU on it, hashing every record
     * for its cycle check. Absent values are left out, as JSON-B does.
     */
    private static final com.fasterxml.jackson.databind.ObjectWriter PAGE = JSON.copy()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .writerFor(TimelineView.class);

    static String json(TimelineView view) {
        try {
            return PAGE.writeValueAsString(view);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("EHR-0674 timeline page not serializable", e);
        }
    }

    public record PatientView(String id, String name, String birthDate, String gender, String institution) {
    }

    /** {@code status}: the entry's status (an entry entered in error is shown struck through, issue #20). */
    public record EntryView(String type, String id, long version, String tenant, String institution,
                            String country, String effective, String category, String title, String detail,
                            String encounter, boolean withheld, String status) {
    }

    public record FacetView(String key, String name, long count) {
    }

    public record MonthView(String month, long count) {
    }

    /** {@code withheld}: the caller's access leaves some sensitive categories out (shown as a marker, issue #20). */
    public record TimelineView(PatientView patient, List<EntryView> entries, String next, long total,
                               Map<String, List<FacetView>> facets, List<MonthView> histogram, String source,
                               boolean withheld) {
    }

    public TimelineView of(TimelineService.Page page, int size) {
        Map<String, Institution> byId = tenants.all().stream()
                .collect(Collectors.toMap(i -> i.id().value(), Function.identity()));
        PatientView patient = patientView(page.patient().key().id(), page.patient().json(),
                name(byId, page.patient().key().tenant().value()));
        SearchResult r = page.result();
        List<EntryView> entries = r.hits().stream().map(h -> entry(h, byId)).toList();
        String next = r.hits().size() == size ? TimelineResource.cursorOf(r.hits().get(size - 1)) : null;
        Map<String, List<FacetView>> facets = r.facets().entrySet().stream().collect(Collectors.toMap(
                e -> "kind".equals(e.getKey()) ? "category" : "institution",
                e -> e.getValue().stream().map(b -> facet(e.getKey(), b, byId)).toList()));
        List<MonthView> histogram = r.histogram().stream().map(b -> new MonthView(b.key(), b.count())).toList();
        return new TimelineView(patient, entries, next, r.total(), facets, histogram,
                page.fromFallback() ? "database" : "index", page.withheld());
    }

    /**
     * The header fields of a stored Patient, read as a JSON tree: the whole resource through HAPI's parser (a
     * Synthea Patient carries an XHTML narrative and many extensions) was most of the cost of shaping a page. The
     * name follows HAPI's {@code HumanName.getNameAsSingleString}: the text if given, else prefixes, givens,
     * family and suffixes, space-separated.
     */
    static PatientView patientView(String id, String json, String institution) {
        JsonNode p;
        try {
            p = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("EHR-0212 stored resource is not JSON", e);
        }
        JsonNode n = p.path("name").path(0);
        String name = n.isMissingNode() ? "(no name)" : n.hasNonNull("text") ? n.get("text").asText()
                : java.util.stream.Stream.of(n.path("prefix"), n.path("given"), n.path("family"), n.path("suffix"))
                        .flatMap(part -> part.isArray() ? java.util.stream.StreamSupport.stream(part.spliterator(),
                                false) : java.util.stream.Stream.of(part))
                        .filter(JsonNode::isTextual).map(JsonNode::asText).filter(t -> !t.isBlank())
                        .collect(Collectors.joining(" "));
        return new PatientView(id, name, text(p, "birthDate"), text(p, "gender"), institution);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static EntryView entry(SearchResult.Hit h, Map<String, Institution> byId) {
        Map<String, Object> f = h.fields();
        Institution inst = byId.get(h.tenant());
        return new EntryView(h.type(), h.id(), h.version(), h.tenant(), inst == null ? h.tenant() : inst.name(),
                inst == null ? null : inst.country(), effective(f), str(f.get("kind")),
                str(f.get("title")), str(f.get("detail")), str(f.get("encounter")), false, str(f.get("status")));
    }

    /**
     * The entry's time as its source recorded it, offset kept, a date as a date (ADR 0017); the UTC instant only for
     * a document indexed before that field existed.
     */
    static String effective(Map<String, Object> fields) {
        Object recorded = fields.get("effective_recorded");
        return recorded != null ? recorded.toString() : str(fields.get("effective"));
    }

    private static FacetView facet(String field, Bucket b, Map<String, Institution> byId) {
        String name = "tenant".equals(field) ? name(byId, b.key()) : b.key();
        return new FacetView(b.key(), name, b.count());
    }

    private static String name(Map<String, Institution> byId, String tenant) {
        Institution i = byId.get(tenant);
        return i == null ? tenant : i.name();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
