package health.meridian.web.it;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of JSON answers as the server wrote it, for byte-for-byte comparisons (a tree read by Jackson would turn
 * 7.10 into 7.1 itself, hiding what the server answered).
 */
public final class RawJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawJson() {
    }

    /** Each entry's {@code resource} of a Bundle, as the text the server wrote, keyed {@code Type/id}. */
    public static Map<String, String> entryResources(String bundle) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.getFactory().createParser(bundle)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"entry".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(p.currentToken(), JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    entry(p, bundle, out);
                }
            }
        }
        return out;
    }

    private static void entry(JsonParser p, String bundle, Map<String, String> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("resource".equals(field)) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getCharOffset();
                String text = bundle.substring(start, end);
                var tree = JSON.readTree(text);
                out.put(tree.path("resourceType").asText() + "/" + tree.path("id").asText(), text);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + ", found " + actual);
        }
    }
}
