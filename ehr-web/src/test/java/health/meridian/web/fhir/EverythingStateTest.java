package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EverythingStateTest {

    @Test
    void theStateRoundTripsThroughThePagingLink() {
        EverythingState state = new EverythingState("p-1", "2024-01-01T00:00:00Z", List.of("Observation"), 2);
        String id = state.encode();
        assertThat(EverythingState.isEverything(id)).isTrue();
        assertThat(EverythingState.decode(id)).isEqualTo(state);
        assertThat(EverythingState.isEverything("eyJ0eXBlIjoiUGF0aWVudCJ9")).isFalse();
    }

    @Test
    void tamperedLinksAreRefused() {
        assertThatThrownBy(() -> EverythingState.decode("everything-%%%")).hasMessageContaining("EHR-0510");
        assertThatThrownBy(() -> EverythingState.offset("-3")).hasMessageContaining("EHR-0510");
        assertThatThrownBy(() -> EverythingState.offset("x")).hasMessageContaining("EHR-0510");
        assertThat(EverythingState.offset("40")).isEqualTo(40);
    }
}
