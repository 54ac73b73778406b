package health.meridian.web.it.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Small helpers to read FHIR JSON responses in tests. */
final class FhirJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private FhirJson() {
    }

    static JsonNode read(String body) throws Exception {
        return JSON.readTree(body);
    }

    /** "Type/id" of the entries of a Bundle with the given search mode (match or include). */
    static List<String> entries(JsonNode bundle, String mode) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            String m = e.path("search").path("mode").asText("match");
            if (mode.equals(m)) {
                JsonNode r = e.path("resource");
                out.add(r.path("resourceType").asText() + "/" + r.path("id").asText());
            }
        }
        return out;
    }

    static String link(JsonNode bundle, String relation) {
        for (JsonNode l : bundle.path("link")) {
            if (relation.equals(l.path("relation").asText())) {
                return l.path("url").asText();
            }
        }
        return null;
    }
}
