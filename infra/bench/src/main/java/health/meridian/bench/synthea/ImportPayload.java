package health.meridian.bench.synthea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Synthea bundle made ready to POST: Synthea's hospital/practitioner files are {@code batch} bundles whose entries
 * are all conditional creates, so they are sent as one {@code transaction} (idempotent either way); a patient's
 * Patient entry gets {@code ifNoneExist=identifier=<Synthea system>|<id>} (Synthea leaves it unconditional).
 */
public record ImportPayload(ObjectNode bundle, int resources, Optional<String> patientIdentifier) {

    public static final String SYNTHEA_SYSTEM = "https://github.com/synthetichealth/synthea";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ImportPayload read(Path file) {
        try {
            return of((ObjectNode) JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException | ClassCastException e) {
            throw new BenchException("BENCH-0210 " + file.getFileName() + " is not a JSON Bundle: " + e.getMessage(), e);
        }
    }

    public static ImportPayload of(ObjectNode bundle) {
        if (!"Bundle".equals(bundle.path("resourceType").asText())) {
            throw new BenchException("BENCH-0211 expected a Bundle, got " + bundle.path("resourceType").asText());
        }
        bundle.put("type", "transaction");
        Optional<String> patient = Optional.empty();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            if ("Patient".equals(resource.path("resourceType").asText())) {
                patient = syntheaIdentifier(resource);
                patient.ifPresent(id -> ((ObjectNode) entry.path("request"))
                        .put("ifNoneExist", "identifier=" + SYNTHEA_SYSTEM + "|" + id));
            }
        }
        return new ImportPayload(bundle, bundle.path("entry").size(), patient);
    }

    public byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(bundle);
        } catch (IOException e) {
            throw new BenchException("BENCH-0212 cannot serialise bundle: " + e.getMessage(), e);
        }
    }

    private static Optional<String> syntheaIdentifier(JsonNode patient) {
        for (JsonNode id : patient.path("identifier")) {
            if (SYNTHEA_SYSTEM.equals(id.path("system").asText())) {
                return Optional.of(id.path("value").asText());
            }
        }
        return Optional.empty();
    }
}
