package health.meridian.bench.load;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Polls a search until it finds a just-created resource: the time from the create's 201 (at the client) until the
 * answer of the first search that contains it arrived, or a timeout. Clock and pause are injected for the tests.
 */
final class SearchablePoller {

    /** One search: whether it found the resource, and how long it took (ms). */
    record Poll(boolean found, double millis) {
    }

    /** The outcome for one created resource; {@code millis} is NaN when it was not found in time. */
    record Outcome(double millis, int polls, double pollMillis) {

        boolean found() {
            return !Double.isNaN(millis);
        }
    }

    interface Search {
        Poll run();
    }

    interface Pause {
        void sleep(long millis);
    }

    private final LongSupplier nanoClock;
    private final Pause pause;
    private final Duration timeout;
    private final long pauseMillis;

    SearchablePoller(LongSupplier nanoClock, Pause pause, Duration timeout, long pauseMillis) {
        this.nanoClock = nanoClock;
        this.pause = pause;
        this.timeout = timeout;
        this.pauseMillis = pauseMillis;
    }

    /** {@code committedAtNanos}: the clock reading when the create's answer arrived. */
    Outcome await(long committedAtNanos, Search search) {
        int polls = 0;
        double pollMillis = 0;
        while (true) {
            Poll poll = search.run();
            polls++;
            pollMillis += poll.millis();
            long now = nanoClock.getAsLong();
            if (poll.found()) {
                return new Outcome((now - committedAtNanos) / 1e6, polls, pollMillis / polls);
            }
            if (now - committedAtNanos >= timeout.toNanos()) {
                return new Outcome(Double.NaN, polls, pollMillis / polls);
            }
            pause.sleep(pauseMillis);
        }
    }
}
