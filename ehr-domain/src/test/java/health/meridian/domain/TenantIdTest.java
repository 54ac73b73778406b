package health.meridian.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.tenant.TenantId;
import org.junit.jupiter.api.Test;

class TenantIdTest {

    @Test
    void acceptsInstitutionCodes() {
        assertThat(TenantId.of("nl-amstel").value()).isEqualTo("nl-amstel");
        assertThat(TenantId.of("nl-amstel")).isEqualTo(TenantId.of("nl-amstel"));
    }

    @Test
    void rejectsMissingOrMalformedTenants() {
        for (String bad : new String[] {null, "", "A", "NL-AMSTEL", "nl amstel", "-x", "x'; drop table tenant;--"}) {
            assertThatThrownBy(() -> TenantId.of(bad)).hasMessageStartingWith("EHR-0101");
        }
    }
}
