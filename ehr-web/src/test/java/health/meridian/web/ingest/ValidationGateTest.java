package health.meridian.web.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background validation yields to loads and to the mirror's backlog, within bounds (issue #22). */
class ValidationGateTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void anIdleInstanceValidatesAtOnce() {
        ValidationGate gate = new ValidationGate();
        long start = System.nanoTime();
        assertThat(gate.awaitTurn(LONG, () -> { }, Duration.ofSeconds(1), () -> false)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void aRunningLoadHoldsTheValidationBackUntilItEndsAndTheLeaseIsKeptAliveMeanwhile() throws Exception {
        ValidationGate gate = new ValidationGate();
        AtomicInteger keptAlive = new AtomicInteger();
        gate.loading(true);
        CompletableFuture<Boolean> turn = CompletableFuture.supplyAsync(() -> gate.awaitTurn(LONG,
                keptAlive::incrementAndGet, Duration.ofMillis(100), () -> false));
        Thread.sleep(1500);
        assertThat(turn).isNotDone();
        assertThat(keptAlive.get()).isPositive();
        gate.loading(false);
        assertThat(turn.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theMirrorsBacklogHoldsItBackToo() throws Exception {
        ValidationGate gate = new ValidationGate();
        gate.mirrorBacklog(true);
        CompletableFuture<Boolean> turn = CompletableFuture.supplyAsync(() -> gate.awaitTurn(LONG, () -> { },
                Duration.ofSeconds(1), () -> false));
        Thread.sleep(1200);
        assertThat(turn).isNotDone();
        gate.mirrorBacklog(false);
        assertThat(turn.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void itWaitsAtMostTheGivenTimeSoABusyInstanceCannotStarveIt() throws Exception {
        ValidationGate gate = new ValidationGate();
        gate.loading(true);
        long start = System.nanoTime();
        assertThat(gate.awaitTurn(Duration.ofMillis(800), () -> { }, Duration.ofSeconds(1), () -> false)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(800),
                Duration.ofSeconds(5));
    }

    @Test
    void aStoppingWorkerLeavesTheChunkUnvalidated() {
        ValidationGate gate = new ValidationGate();
        gate.loading(true);
        assertThat(gate.awaitTurn(LONG, () -> { }, Duration.ofSeconds(1), () -> true)).isFalse();
    }
}
