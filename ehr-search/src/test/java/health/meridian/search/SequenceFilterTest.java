package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceFilterTest {

    @Test
    void thenMustFallZeroToNDaysAfterAFirstDay() {
        assertThat(SequenceFilter.follows(new int[] {10}, new int[] {10}, 0)).isTrue();
        assertThat(SequenceFilter.follows(new int[] {10}, new int[] {9, 41}, 30)).isFalse();
        assertThat(SequenceFilter.follows(new int[] {10}, new int[] {9, 40}, 30)).isTrue();
        assertThat(SequenceFilter.follows(new int[] {1, 50}, new int[] {60}, 10)).isTrue();
        assertThat(SequenceFilter.follows(new int[] {}, new int[] {60}, 10)).isFalse();
    }
}
