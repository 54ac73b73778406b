package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.tenant.TenantId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private final AccessPolicy policy = new AccessPolicy();

    private static Caller caller(String role, String tenant) {
        return new Caller("sub", "user", Set.of(role), Optional.ofNullable(tenant).map(TenantId::of),
                Optional.empty(), Optional.empty());
    }

    @Test
    void clinicianReadsAndWritesOnlyInOwnInstitution() {
        Caller c = caller("clinician", "nl-amstel");
        assertThat(policy.readableTenants(c)).containsExactly(TenantId.of("nl-amstel"));
        assertThat(policy.writeTenant(c, "Observation")).isEqualTo(TenantId.of("nl-amstel"));
    }

    @Test
    void deniesByDefault() {
        assertThat(policy.readableTenants(caller("researcher", "nl-amstel"))).isEmpty();
        assertThat(policy.readableTenants(caller("tenant-admin", "nl-amstel"))).isEmpty();
        assertThat(policy.readableTenants(caller("platform-admin", null))).isEmpty();
        assertThat(policy.readableTenants(caller("clinician", null))).isEmpty();
        assertThatThrownBy(() -> policy.writeTenant(caller("researcher", "nl-amstel"), "Patient"))
                .hasMessageStartingWith("EHR-0302");
        assertThatThrownBy(() -> policy.writeTenant(caller("tenant-admin", "nl-amstel"), "Observation"))
                .hasMessageStartingWith("EHR-0302");
    }

    @Test
    void writeWithoutInstitutionInTokenIsRefusedNotDefaulted() {
        assertThatThrownBy(() -> policy.writeTenant(caller("clinician", null), "Patient"))
                .hasMessageStartingWith("EHR-0301");
    }
}
