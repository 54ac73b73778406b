package health.meridian.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** The app pods' init container: it waits through an unreachable database and pending migrations, and gives up. */
class AwaitSchemaTest {

    private final List<Duration> slept = new ArrayList<>();

    @Test
    void waitsUntilNothingIsPending() {
        IntSupplier pending = answers(null, 3, 1, 0);
        assertThat(AwaitSchema.await(pending, Duration.ofMinutes(1), Duration.ofSeconds(3), slept::add)).isTrue();
        assertThat(slept).hasSize(3);
    }

    @Test
    void givesUpAfterTheTimeout() {
        IntSupplier pending = () -> 2;
        assertThat(AwaitSchema.await(pending, Duration.ofSeconds(9), Duration.ofSeconds(3), slept::add)).isFalse();
        assertThat(slept).hasSize(3);
    }

    /** Answers in turn; null stands for a database that cannot be reached yet. */
    private static IntSupplier answers(Integer... values) {
        Iterator<Integer> it = java.util.Arrays.stream(values).map(v -> v == null ? -1 : v).iterator();
        return () -> {
            int v = it.next();
            if (v < 0) {
                throw new IllegalStateException("connection refused");
            }
            return v;
        };
    }
}
