package health.meridian.web.fhir.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.record.HistoryQuery.VersionCursor;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryStateTest {

    @Test
    void theSearchIdAndTheCursorRoundTripWithMicrosecondsAndAreToldApartFromSearches() {
        HistoryState state = new HistoryState("Observation", "2026-11-30T15:00:00.123456Z", 2);
        String id = state.encode();
        assertThat(HistoryState.isHistoryId(id)).isTrue();
        assertThat(HistoryState.isHistoryId(new SearchState("Observation", java.util.Map.of(), 2,
                java.util.List.of(), java.util.List.of(), java.util.List.of()).encode())).isFalse();
        assertThat(HistoryState.decode(id)).isEqualTo(state);
        VersionCursor cursor = new VersionCursor(Instant.parse("2026-11-30T15:00:00.123456Z"), "nl-amstel", "o1", 3);
        assertThat(HistoryState.decodeCursor(HistoryState.encodeCursor(cursor))).isEqualTo(cursor);
        assertThat(HistoryState.decodeCursor("first")).isNull();
    }

    @Test
    void aTamperedLinkIsABadRequest() {
        assertThatThrownBy(() -> HistoryState.decode("h.not-json")).hasMessageContaining("EHR-0510");
        assertThatThrownBy(() -> HistoryState.decodeCursor("bm90LWpzb24")).hasMessageContaining("EHR-0510");
    }
}
