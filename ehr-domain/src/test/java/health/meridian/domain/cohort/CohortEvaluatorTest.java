package health.meridian.domain.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CohortEvaluatorTest {

    static final Criterion A = new Criterion(CriterionType.CONDITION, List.of(Code.parse("s|a")), null, null, null);
    static final Criterion B = new Criterion(CriterionType.PROCEDURE, List.of(Code.parse("s|b")), null, null, null);
    static final Criterion FEMALE = new Criterion(CriterionType.DEMOGRAPHICS, List.of(), null, null,
            new Demographics("female", null, null, null, null, null));

    /** A fixed little world: five persons; A: p1 p2 p3; B: p2 p3 p9 (p9 is outside the population); female p1 p4. */
    static final CohortSource WORLD = new CohortSource() {
        public Set<String> population() {
            return Set.of("p1", "p2", "p3", "p4", "p5");
        }

        public Set<String> persons(Criterion c, LocalDate indexDate) {
            return c == A ? Set.of("p1", "p2", "p3") : Set.of("p2", "p3", "p9");
        }

        public Map<String, int[]> days(Criterion c, LocalDate indexDate) {
            return c == A ? Map.of("p1", new int[] {10}, "p2", new int[] {10, 200}, "p3", new int[] {50})
                    : Map.of("p1", new int[] {5}, "p2", new int[] {150, 290}, "p3", new int[] {141});
        }

        public Set<String> demographics(Demographics d, LocalDate indexDate) {
            return Set.of("p1", "p4");
        }
    };

    private static Set<String> eval(CohortNode root) {
        return new CohortEvaluator(WORLD).evaluate(new CohortDefinition(LocalDate.of(2025, 1, 1), root));
    }

    @Test
    void groupsCombineAsSetsWithinThePopulation() {
        assertThat(eval(new Group(Group.Operator.AND, List.of(A, B)))).containsExactlyInAnyOrder("p2", "p3");
        assertThat(eval(new Group(Group.Operator.OR, List.of(A, B)))).containsExactlyInAnyOrder("p1", "p2", "p3");
        assertThat(eval(new Group(Group.Operator.AND, List.of(A, new Group(Group.Operator.NOT, List.of(B))))))
                .containsExactly("p1");
        assertThat(eval(new Group(Group.Operator.OR, List.of(FEMALE, new Group(Group.Operator.NOT, List.of(A))))))
                .containsExactlyInAnyOrder("p1", "p4", "p5");
    }

    @Test
    void sequenceNeedsThenWithinNDaysAfterFirst() {
        // p1: B (5) before A (10) -> no; p2: A 200, B 290 -> 90 days; p3: A 50, B 141 -> 91 days.
        assertThat(eval(new Sequence(A, B, 90))).containsExactly("p2");
        assertThat(eval(new Sequence(A, B, 91))).containsExactlyInAnyOrder("p2", "p3");
        assertThat(CohortEvaluator.sequence(Map.of("x", new int[] {7}), Map.of("x", new int[] {7}), 0))
                .containsExactly("x");
    }
}
