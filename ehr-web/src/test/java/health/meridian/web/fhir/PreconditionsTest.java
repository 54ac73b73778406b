package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.record.VersionCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreconditionsTest {

    @Test
    void weakAndStrongTagsNameVersions() {
        assertThat(Preconditions.forWrite("W/\"3\"", null)).isEqualTo(VersionCondition.oneOf(List.of("3")));
        assertThat(Preconditions.forWrite("\"3\"", null)).isEqualTo(VersionCondition.oneOf(List.of("3")));
        assertThat(Preconditions.forWrite(" W/\"3\" , \"5\"", null))
                .isEqualTo(VersionCondition.oneOf(List.of("3", "5")));
        assertThat(Preconditions.forWrite("W/\"abc\"", null)).isEqualTo(VersionCondition.oneOf(List.of("abc")));
    }

    @Test
    void starsAndAbsentHeaders() {
        assertThat(Preconditions.forWrite("*", null)).isEqualTo(VersionCondition.ANY);
        assertThat(Preconditions.forWrite(null, "*")).isEqualTo(VersionCondition.ABSENT);
        assertThat(Preconditions.forWrite(null, null)).isEqualTo(VersionCondition.NONE);
        assertThat(Preconditions.forWrite(" ", "")).isEqualTo(VersionCondition.NONE);
    }

    @Test
    void malformedHeadersAreBadRequests() {
        for (String bad : new String[] {"garbage", "3", "W/3", "W/\"3", "\"3\" junk", "W/\"3\",,x", "**"}) {
            assertThatThrownBy(() -> Preconditions.forWrite(bad, null)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("EHR-0441");
        }
        assertThatThrownBy(() -> Preconditions.forWrite("W/\"1\"", "*")).hasMessageStartingWith("EHR-0443");
        assertThatThrownBy(() -> Preconditions.forWrite(null, "W/\"1\"")).hasMessageStartingWith("EHR-0443");
    }
}
