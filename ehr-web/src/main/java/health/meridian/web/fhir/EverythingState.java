package health.meridian.web.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * What a next page of {@code Patient/$everything} needs, in its paging link (stateless, like {@link
 * health.meridian.web.fhir.search.SearchState}; the caller's access is judged again on every page): the patient,
 * {@code _since}, {@code _type} and the page size. The page id is the offset.
 */
record EverythingState(String patientId, String since, List<String> types, int count) {

    static final String PREFIX = "everything-";
    private static final ObjectMapper JSON = new ObjectMapper();

    String encode() {
        try {
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isEverything(String searchId) {
        return searchId != null && searchId.startsWith(PREFIX);
    }

    static EverythingState decode(String searchId) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(searchId.substring(PREFIX.length())),
                    EverythingState.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException("EHR-0510 invalid or expired paging link");
        }
    }

    static int offset(String pageId) {
        try {
            int offset = pageId == null ? 0 : Integer.parseInt(pageId);
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("EHR-0510 invalid or expired paging link");
        }
    }
}
