package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue #20: a grant is cross-border when the grantee works outside the patient's own country. */
class GrantCrossBorderTest {

    @Test
    void ownCountryIsNotCrossBorderEvenWhenAnotherCountryHoldsSomeOfTheRecord() {
        GrantService.Home anna = new GrantService.Home("NL", Set.of("NL", "DE"));
        assertThat(anna.crossedBy("NL")).as("her own Dutch doctor").isFalse();
        assertThat(anna.crossedBy("DE")).as("the Berlin hospital").isTrue();
        assertThat(anna.crossedBy(null)).as("unknown country: nothing to confirm").isFalse();
    }

    @Test
    void withoutAHomeInstitutionTheHoldingCountriesDecide() {
        GrantService.Home nowhere = new GrantService.Home(null, Set.of("DE"));
        assertThat(nowhere.crossedBy("DE")).isFalse();
        assertThat(nowhere.crossedBy("FR")).isTrue();
        assertThat(new GrantService.Home(null, Set.of()).crossedBy("FR")).isFalse();
    }
}
