package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.record.HistoryQuery.VersionCursor;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * A type-level history in the opaque search id of its paging links ({@code h.} + base64 JSON), like
 * {@link SearchState}: stateless and scope-free (the caller's scope is recomputed on every page). The page id is the
 * keyset cursor of the last version of the previous page.
 */
public record HistoryState(String type, String since, int count) {

    static final String PREFIX = "h.";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Instant sinceInstant() {
        return since == null ? null : Instant.parse(since);
    }

    public String encode() {
        try {
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isHistoryId(String searchId) {
        return searchId != null && searchId.startsWith(PREFIX);
    }

    public static HistoryState decode(String id) {
        try {
            HistoryState state = JSON.readValue(Base64.getUrlDecoder().decode(id.substring(PREFIX.length())),
                    HistoryState.class);
            state.sinceInstant();
            return state;
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw invalid();
        }
    }

    public static String encodeCursor(VersionCursor cursor) {
        return SearchState.encodeCursor(List.of(cursor.recordedAt().toString(), cursor.tenant(), cursor.id(),
                cursor.version()));
    }

    /** Null for the first page. */
    public static VersionCursor decodeCursor(String pageId) {
        if (pageId == null || pageId.isBlank() || "first".equals(pageId)) {
            return null;
        }
        List<Object> v = SearchState.decodeCursor(pageId);
        try {
            return new VersionCursor(Instant.parse((String) v.get(0)), (String) v.get(1), (String) v.get(2),
                    ((Number) v.get(3)).intValue());
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("EHR-0510 invalid or expired paging link");
    }
}
