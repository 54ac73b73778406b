package health.meridian.domain.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifferencingGuardTest {

    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void oneCriterionMoreAndAFewPersonsLessIsRefused() {
        DifferencingGuard guard = new DifferencingGuard();
        guard.remember("u", List.of("a", "b"), 40, now);
        assertThat(guard.check("u", List.of("a", "b", "c"), 39, now)).get().asString().startsWith("EHR-0830");
        assertThat(guard.check("u", List.of("a", "x"), 36, now)).isPresent();
    }

    @Test
    void otherUsersLargeDifferencesReplaysAndOldQueriesAreAllowed() {
        DifferencingGuard guard = new DifferencingGuard();
        guard.remember("u", List.of("a", "b"), 40, now);
        assertThat(guard.check("v", List.of("a", "b", "c"), 39, now)).isEmpty();
        assertThat(guard.check("u", List.of("a", "b", "c"), 35, now)).isEmpty();
        assertThat(guard.check("u", List.of("a", "b"), 40, now)).isEmpty();
        assertThat(guard.check("u", List.of("a", "c", "d"), 39, now)).isEmpty();
        assertThat(guard.check("u", List.of("a", "b", "c"), 39, now.plus(DifferencingGuard.WINDOW))).isEmpty();
    }
}
