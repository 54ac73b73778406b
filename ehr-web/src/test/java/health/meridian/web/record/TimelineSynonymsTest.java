package health.meridian.web.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineSynonymsTest {

    @Test
    void shortNamesCliniciansTypeAlsoSearchTheLongName() {
        assertThat(TimelineSynonyms.alternatives("HbA1c")).containsExactly("HbA1c", "hemoglobin a1c");
        assertThat(TimelineSynonyms.alternatives(" Hb-A1c ")).containsExactly("Hb-A1c", "hemoglobin a1c");
        assertThat(TimelineSynonyms.alternatives("BP")).containsExactly("BP", "blood pressure");
        assertThat(TimelineSynonyms.alternatives("blood sugar")).containsExactly("blood sugar", "glucose");
    }

    @Test
    void otherTextIsSearchedAsTyped() {
        assertThat(TimelineSynonyms.alternatives("glucose")).containsExactly("glucose");
        assertThat(TimelineSynonyms.alternatives("fracture of rib")).containsExactly("fracture of rib");
    }
}
