package health.meridian.web.fhir.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to run a search again for its next page, encoded into the opaque search id of the paging
 * links. Stateless (any app instance can serve the next page) and scope-free: the caller's scope is recomputed
 * from their token on every page, so a tampered id cannot widen what they see.
 */
public record SearchState(String type, Map<String, String[]> params, int count, List<String> sort,
                          List<String> includes, List<String> revIncludes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SearchState decode(String id) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(id), SearchState.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException("EHR-0510 invalid or expired paging link");
        }
    }

    public static String encodeCursor(List<Object> sortValues) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(sortValues));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Object> decodeCursor(String pageId) {
        if (pageId == null || pageId.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(new String(Base64.getUrlDecoder().decode(pageId), StandardCharsets.UTF_8),
                    JSON.getTypeFactory().constructCollectionType(List.class, Object.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException("EHR-0510 invalid or expired paging link");
        }
    }
}
