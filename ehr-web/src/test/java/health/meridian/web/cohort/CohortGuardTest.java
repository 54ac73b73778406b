package health.meridian.web.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.cohort.DifferencingGuard;
import health.meridian.domain.cohort.DifferencingGuard.Disclosure;
import health.meridian.domain.cohort.DisclosureLedger;
import health.meridian.domain.cohort.PersonSetSketch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CohortGuardTest {

    /** The ledger's contract in memory: one user's disclosures, newest first. */
    private static final class MemoryLedger implements DisclosureLedger {
        final List<Disclosure> rows = new ArrayList<>();
        int locks;

        @Override
        public List<Disclosure> lockAndRead(String subject, Instant since, int limit) {
            locks++;
            return read(subject, since, limit);
        }

        @Override
        public List<Disclosure> read(String subject, Instant since, int limit) {
            return rows.stream().filter(d -> d.at().isAfter(since)).limit(limit).toList();
        }

        @Override
        public void add(String subject, Disclosure d) {
            rows.add(0, d);
        }
    }

    private final MemoryLedger ledger = new MemoryLedger();
    private final CohortGuard guard = new CohortGuard();

    @BeforeEach
    void wire() {
        guard.ledger = ledger;
    }

    @Test
    void anAnswerIsRememberedAndANearOneIsRefusedAndRememberedAsARefusal() {
        assertThat(guard.judge("u", Map.of("a", persons(0, 30)), Set.of())).isEmpty();
        assertThat(guard.judge("u", Map.of("b", persons(2, 30)), Set.of())).hasValue(DifferencingGuard.NEAR);
        assertThat(ledger.rows).extracting(Disclosure::refused).containsExactly(true, false);
        assertThat(ledger.locks).as("every judgement holds the user's lock").isEqualTo(2);
    }

    @Test
    void aComparisonsPartsAreNotComparedWithItsOwnCohortsButWithEverythingElse() {
        guard.judge("u", Map.of("a", persons(0, 30)), Set.of());
        guard.judge("u", Map.of("c", persons(0, 12)), Set.of());
        // the part "both" = persons 0..9: 20 from a (ignored anyway), 2 from c (not ignored): refused
        assertThat(guard.judge("u", Map.of("both", persons(0, 10)), Set.of("a"))).isPresent();
        assertThat(guard.judge("u", Map.of("both", persons(0, 10)), Set.of("a", "c"))).isEmpty();
    }

    @Test
    void aLockedOutUserIsRefusedWithoutLengtheningTheLockOut() {
        for (int i = 0; i < DifferencingGuard.LOCK_OUT_AFTER; i++) {
            ledger.add("u", Disclosure.refusal("q", Instant.now()));
        }
        assertThat(guard.judge("u", Map.of("far", persons(100, 200)), Set.of())).hasValue(DifferencingGuard.LOCKED);
        assertThat(guard.lockOut("u")).hasValue(DifferencingGuard.LOCKED);
        assertThat(ledger.rows).hasSize(DifferencingGuard.LOCK_OUT_AFTER);
    }

    private static PersonSetSketch persons(int from, int to) {
        PersonSetSketch.Builder b = PersonSetSketch.builder();
        IntStream.range(from, to).forEach(i -> b.add("p" + i));
        return b.build();
    }
}
