package health.meridian.domain.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PersonSetSketchTest {

    private final Random random = new Random(18);

    @Test
    void everyDifferenceOfUpToFourPersonsIsFoundExactlyWhateverTheSplit() {
        List<String> common = ids(300);
        for (int added = 0; added <= 4; added++) {
            for (int removed = 0; added + removed <= 4; removed++) {
                List<String> a = new ArrayList<>(common);
                List<String> b = new ArrayList<>(common.subList(removed, common.size()));
                b.addAll(ids(added));
                OptionalInt d = sketch(a).difference(sketch(b));
                assertThat(d).as("+" + added + " -" + removed).hasValue(added + removed);
                assertThat(sketch(b).difference(sketch(a))).hasValue(added + removed);
            }
        }
    }

    @Test
    void aDifferenceOfFiveOrMoreIsNeverReportedAsSmall() {
        List<String> common = ids(200);
        for (int trial = 0; trial < 300; trial++) {
            int total = 5 + random.nextInt(8);
            int added = random.nextInt(total + 1);
            List<String> b = new ArrayList<>(common.subList(total - added, common.size()));
            b.addAll(ids(added));
            assertThat(sketch(common).difference(sketch(b))).as("+" + added + " -" + (total - added)).isEmpty();
        }
        assertThat(sketch(ids(1000)).difference(sketch(ids(1000)))).as("same size, all different").isEmpty();
    }

    @Test
    void theSameSetInAnotherOrderIsNoDifferenceAndTheEmptySetHasASketch() {
        List<String> a = ids(50);
        List<String> shuffled = new ArrayList<>(a);
        java.util.Collections.shuffle(shuffled, random);
        assertThat(sketch(a).difference(sketch(shuffled))).hasValue(0);
        PersonSetSketch empty = PersonSetSketch.builder().build();
        assertThat(empty.size()).isZero();
        assertThat(empty.difference(sketch(a.subList(0, 3)))).hasValue(3);
        assertThat(empty.difference(PersonSetSketch.builder().build())).hasValue(0);
    }

    @Test
    void aSubsetRemovedLeavesTheSketchOfTheRest() {
        List<String> a = ids(40);
        PersonSetSketch rest = sketch(a).without(sketch(a.subList(0, 30)));
        assertThat(rest.size()).isEqualTo(10);
        assertThat(rest.difference(sketch(a.subList(30, 40)))).hasValue(0);
        assertThat(rest.difference(sketch(a.subList(31, 40)))).hasValue(1);
    }

    @Test
    void theStoredFormRestoresTheSameSketch() {
        PersonSetSketch s = sketch(ids(20));
        PersonSetSketch restored = PersonSetSketch.of(s.size(), s.values());
        assertThat(restored.values()).hasSize(64).isEqualTo(s.values());
        assertThat(restored.difference(s)).hasValue(0);
    }

    /** Not an assertion on speed: prints what building costs per person (the guard's CPU share at 1M persons). */
    @Test
    void buildingCostsAFewHundredNanosecondsPerPerson() {
        List<String> many = ids(200_000);
        long start = System.nanoTime();
        PersonSetSketch s = sketch(many);
        long ns = System.nanoTime() - start;
        System.out.printf("PersonSetSketch: %d persons in %d ms (%d ns each)%n", s.size(), ns / 1_000_000,
                ns / many.size());
        assertThat(s.size()).isEqualTo(200_000);
    }

    private static PersonSetSketch sketch(List<String> ids) {
        PersonSetSketch.Builder b = PersonSetSketch.builder();
        ids.forEach(b::add);
        return b.build();
    }

    private List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> new UUID(random.nextLong(), random.nextLong()).toString()).toList();
    }
}
