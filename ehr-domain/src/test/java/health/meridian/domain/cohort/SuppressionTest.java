package health.meridian.domain.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionTest {

    private static Map<String, Long> cells(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    @Test
    void smallCountsAreHiddenZeroIsNot() {
        assertThat(Suppression.publish(4)).isEqualTo("<5");
        assertThat(Suppression.publish(5)).isEqualTo(5L);
        assertThat(Suppression.publish(0)).isEqualTo(0L);
    }

    @Test
    void aLoneHiddenCellHidesTheSmallestOtherCell() {
        Map<String, Object> out = Suppression.dimension(cells("female", 3, "male", 20, "other", 7, "unknown", 0), 30);
        assertThat(out).containsEntry("female", "suppressed").containsEntry("other", "suppressed")
                .containsEntry("male", 20L).containsEntry("unknown", 0L);
    }

    @Test
    void aComplementOfFiveOrMoreIsNeverCalledSmall() {
        // issue #20: "27 persons · female <5 · male 14 · other <5" could not add up (other was 9)
        Map<String, Object> out = Suppression.dimension(cells("female", 4, "male", 14, "other", 9), 27);
        assertThat(out).containsEntry("female", "suppressed").containsEntry("other", "suppressed")
                .containsEntry("male", 14L).doesNotContainValue("<5");
    }

    @Test
    void aLoneSmallCellWithoutAnyOtherNonZeroCellStaysSmall() {
        assertThat(Suppression.dimension(cells("a", 3, "b", 0), 3)).containsEntry("a", "<5");
    }

    @Test
    void twoHiddenCellsNeedNoComplement() {
        Map<String, Object> out = Suppression.dimension(cells("a", 3, "b", 2, "c", 20), 25);
        assertThat(out).containsEntry("a", "<5").containsEntry("b", "<5").containsEntry("c", 20L);
    }

    @Test
    void aSmallTotalHidesEveryNonZeroCell() {
        assertThat(Suppression.dimension(cells("a", 3, "b", 0), 3)).containsEntry("a", "<5").containsEntry("b", 0L);
    }

    @Test
    void aComparisonsPartsHideTogetherWhenAnyIsSmallOrNegative() {
        assertThat(Suppression.jointlyHidden(20, 2, 10)).isTrue();
        assertThat(Suppression.jointlyHidden(20, 0, 10)).isFalse();
        assertThat(Suppression.jointlyHidden(20, 5, 10)).isFalse();
        assertThat(Suppression.jointlyHidden(20, -1, 10)).isTrue();
    }
}
