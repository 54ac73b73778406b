package health.meridian.domain.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionConditionTest {

    private static final ResourceKey KEY = new ResourceKey(TenantId.of("nl-amstel"), "Patient", "p1");

    @Test
    void aVersionListAdmitsOnlyThoseVersions() {
        VersionCondition c = VersionCondition.oneOf(List.of("2", "4"));
        assertThat(c.admits(2, false)).isTrue();
        assertThat(c.admits(4, true)).isTrue();
        assertThat(c.admits(3, false)).isFalse();
        assertThatThrownBy(() -> c.require(KEY, 3, false)).isInstanceOf(VersionConflictException.class)
                .hasMessageStartingWith("EHR-0440 Patient/p1 is at version 3");
    }

    @Test
    void aVersionThatIsNotANumberNeverMatches() {
        assertThat(VersionCondition.oneOf(List.of("two")).admits(2, false)).isFalse();
    }

    @Test
    void anyNeedsACurrentRepresentationAndAbsentNeedsNone() {
        assertThat(VersionCondition.ANY.admits(7, false)).isTrue();
        assertThat(VersionCondition.ANY.admits(7, true)).isFalse();
        assertThat(VersionCondition.ABSENT.admits(7, true)).isTrue();
        assertThatThrownBy(() -> VersionCondition.ABSENT.require(KEY, 7, false))
                .isInstanceOf(VersionConflictException.class).hasMessageStartingWith("EHR-0442");
        assertThat(VersionCondition.NONE.admits(1, true)).isTrue();
    }

    @Test
    void anEmptyVersionListIsRefused() {
        assertThatThrownBy(() -> VersionCondition.oneOf(List.of())).hasMessageStartingWith("EHR-0441");
    }
}
