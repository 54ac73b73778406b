package health.meridian.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.bench.BenchException;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void tenantUserPairsKeepTheirOrder() {
        assertThat(Target.pairs(Target.DEFAULT_ADMINS, "--admins"))
                .containsExactly(java.util.Map.entry("nl-amstel", "admin.amstel"), java.util.Map.entry("de-spree", "admin.spree"));
    }

    @Test
    void aMalformedPairNamesTheOption() {
        assertThatThrownBy(() -> Target.pairs("nl-amstel=admin.amstel,de-spree", "--admins"))
                .isInstanceOf(BenchException.class).hasMessageStartingWith("BENCH-0120 --admins");
    }
}
