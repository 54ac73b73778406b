package health.meridian.web.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * When this instance's background validation may use the cores: not while a bulk load runs here, and not while the
 * search mirror ships a backlog. A bulk load's caller waits for "committed" and "searchable"; the structure-definition
 * validation is asynchronous by design (its verdict is a quarantine flag that comes later), so on a box with few
 * cores it yields to both instead of taking half their CPU. It waits at most {@link #MAX_WAIT} per chunk, so a
 * mirror that never catches up cannot starve it; while it waits the job's lease is kept alive.
 */
@ApplicationScoped
public class ValidationGate {

    /** The longest one chunk's validation waits for the load and the mirror; then it runs anyway. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 500;

    private final AtomicInteger loads = new AtomicInteger();
    private volatile boolean mirrorBacklog;

    /** A load starts ({@code true}) or ends ({@code false}) on this instance. */
    void loading(boolean started) {
        if (started) {
            loads.incrementAndGet();
        } else {
            loads.decrementAndGet();
        }
    }

    /** The search mirror ships a backlog (full batches), or no longer does. */
    public void mirrorBacklog(boolean shipping) {
        mirrorBacklog = shipping;
    }

    boolean busy() {
        return loads.get() > 0 || mirrorBacklog;
    }

    /**
     * Waits while this instance is busy (at most {@code maxWait}), calling {@code keepAlive} every
     * {@code keepAliveEvery} meanwhile. Returns false if {@code stopping} said so (the chunk is then not validated).
     */
    boolean awaitTurn(Duration maxWait, Runnable keepAlive, Duration keepAliveEvery, BooleanSupplier stopping) {
        long start = System.nanoTime();
        long lastKeepAlive = start;
        while (busy() && System.nanoTime() - start < maxWait.toNanos()) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            if (System.nanoTime() - lastKeepAlive >= keepAliveEvery.toNanos()) {
                keepAlive.run();
                lastKeepAlive = System.nanoTime();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping.getAsBoolean();
    }
}
