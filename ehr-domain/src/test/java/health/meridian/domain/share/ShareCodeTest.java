package health.meridian.domain.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShareCodeTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void codesAreTenCrockfordCharactersShownInTwoGroupsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String shown = ShareCodeSecret.generate().display();
            assertThat(shown).matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$");
            seen.add(shown);
        }
        assertThat(seen).hasSize(2000);
        assertThat(Math.log(Math.pow(ShareCodeSecret.ALPHABET.length(), ShareCodeSecret.LENGTH)) / Math.log(2))
                .as("bits of entropy").isGreaterThanOrEqualTo(40);
    }

    @Test
    void typingIsForgivingButTheHashIsOfTheNormalisedCode() {
        ShareCodeSecret s = ShareCodeSecret.parse("7kq2m-x9d40");
        assertThat(ShareCodeSecret.parse(" 7KQ2M X9D4O ").hash()).isEqualTo(s.hash());
        assertThat(ShareCodeSecret.parse("ILQ2MX9D40").hash()).isEqualTo(ShareCodeSecret.parse("11Q2MX9D40").hash());
        assertThat(s.hash()).matches("^[0-9a-f]{64}$").doesNotContain("7KQ2M");
        assertThatThrownBy(() -> ShareCodeSecret.parse("too-short")).hasMessageStartingWith("EHR-0741");
        assertThatThrownBy(() -> ShareCodeSecret.parse("7KQ2M-X9D4U")).hasMessageStartingWith("EHR-0741");
    }

    @Test
    void validityDefaultsTo24HoursAndIsAtMostSevenDays() {
        ShareCode c = ShareCode.issue("person", "nl-amstel", "p1", ShareCodeSecret.generate(), null, NOW);
        assertThat(c.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThatThrownBy(() -> ShareCode.issue("person", "nl-amstel", "p1", ShareCodeSecret.generate(),
                Duration.ofDays(8), NOW)).hasMessageStartingWith("EHR-0742");
    }

    @Test
    void redeemedOnceBeforeExpiryThenTimeBoxedAccess() {
        ShareCode c = ShareCode.issue("person", "nl-amstel", "p1", ShareCodeSecret.generate(), null, NOW);
        c.redeem("prac", "sub", "dr.x", "de-spree", NOW.plusSeconds(60));
        assertThat(c.grantsAccessAt(NOW.plusSeconds(120))).isTrue();
        assertThat(c.grantsAccessAt(NOW.plusSeconds(60).plus(ShareCode.ACCESS))).isFalse();
        assertThatThrownBy(() -> c.redeem("prac", "sub", "dr.x", "de-spree", NOW.plusSeconds(90)))
                .hasMessageStartingWith("EHR-0744");
        ShareCode expired = ShareCode.issue("person", "nl-amstel", "p1", ShareCodeSecret.generate(), null, NOW);
        assertThat(expired.isRedeemableAt(NOW.plus(Duration.ofHours(25)))).isFalse();
    }
}
