package health.meridian.domain.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.cohort.DifferencingGuard.Disclosure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DifferencingGuardTest {

    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final DifferencingGuard guard = new DifferencingGuard();
    private final List<String> forty = persons(0, 40);

    @Test
    void aFewPersonsMoreOrLessIsRefusedWhateverTheCriteria() {
        List<Disclosure> past = List.of(answer("q1", forty, now));
        for (int hidden = 1; hidden <= 4; hidden++) {
            assertThat(guard.check(past, "q2", sketch(forty.subList(hidden, 40)), now)).as("minus " + hidden)
                    .hasValue(DifferencingGuard.NEAR);
            assertThat(guard.check(past, "q1", sketch(forty.subList(hidden, 40)), now)).as("rerun minus " + hidden)
                    .hasValue(DifferencingGuard.NEAR);
        }
        List<String> swapped = new ArrayList<>(forty.subList(1, 40));
        swapped.add("other");
        assertThat(guard.check(past, "q2", sketch(swapped), now)).as("one swapped, same size").isPresent();
    }

    @Test
    void theSamePersonsUnderOtherCriteriaAreRefusedAlikeSoTheRefusalHidesWhetherAnyoneWasInBetween() {
        List<Disclosure> past = List.of(answer("q1", forty, now));
        assertThat(guard.check(past, "tautology", sketch(forty), now)).hasValue(DifferencingGuard.NEAR);
        assertThat(guard.check(past, "tautology", sketch(forty.subList(3, 40)), now))
                .isEqualTo(guard.check(past, "tautology", sketch(forty), now));
    }

    @Test
    void aRerunOfTheSameDefinitionWithTheSamePersonsAndTwoEmptyAnswersPass() {
        List<Disclosure> past = List.of(answer("q1", forty, now), answer("none", List.of(), now));
        assertThat(guard.check(past, "q1", sketch(forty), now)).isEmpty();
        assertThat(guard.check(past, "other-none", sketch(List.of()), now)).isEmpty();
        assertThat(guard.check(past, "few", sketch(persons(100, 103)), now)).as("3 against the empty answer")
                .isPresent();
    }

    @Test
    void fivePersonsApartOrAnOldAnswerOrARefusalIsNoReasonToRefuse() {
        assertThat(guard.check(List.of(answer("q1", forty, now)), "q2", sketch(forty.subList(5, 40)), now)).isEmpty();
        List<Disclosure> old = List.of(answer("q1", forty, now.minus(DifferencingGuard.WINDOW)));
        assertThat(guard.check(old, "q2", sketch(forty.subList(1, 40)), now)).isEmpty();
        List<Disclosure> refused = List.of(Disclosure.refusal("q1", now));
        assertThat(guard.check(refused, "q2", sketch(forty), now)).isEmpty();
    }

    @Test
    void fiveRefusalsWithinTheWindowLockTheUserOut() {
        List<Disclosure> four = new ArrayList<>(Collections.nCopies(4, Disclosure.refusal("q", now)));
        assertThat(guard.lockOut(four, now)).isEmpty();
        four.add(Disclosure.refusal("q", now.minus(DifferencingGuard.WINDOW)));
        assertThat(guard.lockOut(four, now)).as("the fifth is out of the window").isEmpty();
        four.add(Disclosure.refusal("q", now.minusSeconds(60)));
        assertThat(guard.lockOut(four, now)).hasValue(DifferencingGuard.LOCKED);
        assertThat(DifferencingGuard.LOCKED).startsWith("EHR-0831");
        assertThat(DifferencingGuard.NEAR).startsWith("EHR-0830");
    }

    private static Disclosure answer(String definition, List<String> persons, Instant at) {
        return new Disclosure(definition, sketch(persons), at);
    }

    private static PersonSetSketch sketch(List<String> persons) {
        PersonSetSketch.Builder b = PersonSetSketch.builder();
        persons.forEach(b::add);
        return b.build();
    }

    private static List<String> persons(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "person-" + i).toList();
    }
}
