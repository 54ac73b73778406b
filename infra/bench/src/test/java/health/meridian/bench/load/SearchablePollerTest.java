package health.meridian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SearchablePollerTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Long> pauses = new ArrayList<>();

    /** Every search takes 40 ms of the fake clock; every pause the given time. */
    private SearchablePoller poller(Duration timeout) {
        return new SearchablePoller(clock::get, ms -> {
            pauses.add(ms);
            clock.addAndGet(ms * 1_000_000L);
        }, timeout, 10);
    }

    private SearchablePoller.Search foundOnPoll(int n, AtomicInteger calls) {
        return () -> {
            clock.addAndGet(40_000_000L);
            return new SearchablePoller.Poll(calls.incrementAndGet() >= n, 40);
        };
    }

    @Test
    void timeRunsFromTheCommitToTheAnswerOfTheFirstSearchThatFoundIt() {
        long committed = clock.get();
        AtomicInteger calls = new AtomicInteger();

        SearchablePoller.Outcome o = poller(Duration.ofSeconds(30)).await(committed, foundOnPoll(3, calls));

        assertThat(o.found()).isTrue();
        assertThat(o.polls()).isEqualTo(3);
        assertThat(o.millis()).isEqualTo(3 * 40 + 2 * 10);
        assertThat(pauses).containsExactly(10L, 10L);
        assertThat(o.pollMillis()).isEqualTo(40);
    }

    @Test
    void foundAtOnceCostsOneSearchAndNoPause() {
        SearchablePoller.Outcome o = poller(Duration.ofSeconds(30)).await(clock.get(), foundOnPoll(1, new AtomicInteger()));

        assertThat(o.millis()).isEqualTo(40);
        assertThat(o.polls()).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void givesUpAfterTheTimeoutWithoutATime() {
        SearchablePoller.Outcome o = poller(Duration.ofMillis(200)).await(clock.get(),
                foundOnPoll(Integer.MAX_VALUE, new AtomicInteger()));

        assertThat(o.found()).isFalse();
        assertThat(o.millis()).isNaN();
        assertThat(o.polls()).isEqualTo(5); // searches end at 40, 90, 140, 190 (under 200 ms), then 240: give up
    }
}
