package health.meridian.web.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortViewsTest {

    @Test
    void aComparisonWithASmallPartPublishesNoPartSoNoSizeMinusAPartIsASmallCell() {
        // A = 22 persons, B = 30; 20 in both, 2 only in A, 10 only in B: "countA - both" would give the 2 back
        Map<String, Object> out = CohortViews.comparison("a", "b", new long[] {22, 30, 20, 2, 10});
        assertThat(out).containsEntry("countA", 22L).containsEntry("countB", 30L)
                .containsEntry("both", CohortViews.HIDDEN).containsEntry("onlyA", CohortViews.HIDDEN)
                .containsEntry("onlyB", CohortViews.HIDDEN);
    }

    @Test
    void aComparisonWithoutSmallPartsIsPublishedInFull() {
        Map<String, Object> out = CohortViews.comparison("a", "b", new long[] {25, 30, 20, 5, 10});
        assertThat(out).containsEntry("both", 20L).containsEntry("onlyA", 5L).containsEntry("onlyB", 10L);
        Map<String, Object> small = CohortViews.comparison("a", "b", new long[] {3, 30, 0, 3, 30});
        assertThat(small).containsEntry("countA", "<5").containsEntry("onlyA", CohortViews.HIDDEN);
    }
}
