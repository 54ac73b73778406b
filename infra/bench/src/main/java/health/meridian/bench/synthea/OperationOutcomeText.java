package health.meridian.bench.synthea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** The human-readable part of an error answer: the OperationOutcome's issues, or the start of the raw body. */
public final class OperationOutcomeText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperationOutcomeText() {
    }

    public static String of(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && "OperationOutcome".equals(node.path("resourceType").asText())) {
                List<String> issues = new ArrayList<>();
                for (JsonNode issue : node.path("issue")) {
                    String text = issue.path("diagnostics").asText(issue.path("details").path("text").asText(""));
                    issues.add(issue.path("severity").asText("?") + "/" + issue.path("code").asText("?") + ": " + text);
                }
                return String.join("; ", issues);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: fall through to the raw body
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
