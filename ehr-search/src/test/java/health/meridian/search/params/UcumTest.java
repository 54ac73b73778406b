package health.meridian.search.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UcumTest {

    @Test
    void aUnitsConversionLearntOnceGivesWhatTheLibraryGivesValueByValue() {
        List<String> units = List.of("kg", "g", "mg/dL", "mmol/L", "Cel", "[degF]", "[lb_av]", "mm[Hg]", "/min", "%",
                "10*3/uL", "kg/m2", "[in_i]", "mL", "U/L", "{score}", "1");
        List<String> values = List.of("0", "1", "83.3", "0.0833", "-40", "98.6", "1234.5678", "7.5E-3");
        for (String unit : units) {
            for (String v : values) {
                BigDecimal value = new BigDecimal(v);
                var exact = Ucum.exactForTest(value, unit);
                var learnt = Ucum.canonical(value, unit);
                assertThat(learnt.isPresent()).as(unit).isEqualTo(exact.isPresent());
                if (exact.isPresent()) {
                    assertThat(learnt.get().unit()).as(unit).isEqualTo(exact.get().unit());
                    assertThat(learnt.get().value()).as(v + " " + unit).isCloseTo(exact.get().value(),
                            within(Math.abs(exact.get().value()) * 1e-9 + 1e-12));
                }
            }
        }
    }

    @Test
    void anInvalidUnitHasNoCanonicalForm() {
        assertThat(Ucum.canonical(BigDecimal.ONE, "not a unit")).isEmpty();
        assertThat(Ucum.canonical(BigDecimal.ONE, "not a unit")).isEmpty();
        assertThat(Ucum.canonical(BigDecimal.ONE, "")).isEmpty();
    }
}
