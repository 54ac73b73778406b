package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.identity.UserAccount;
import health.meridian.domain.tenant.TenantId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AccessPolicy's user-administration rules (issue #8), in-process. */
class UserAdminPolicyTest {

    private static final TenantId AMSTEL = TenantId.of("nl-amstel");
    private static final TenantId SPREE = TenantId.of("de-spree");

    private final AccessPolicy policy = new AccessPolicy();

    private static Caller caller(String role, String tenant) {
        return new Caller("sub", "user", Set.of(role), Optional.ofNullable(tenant).map(TenantId::of),
                Optional.empty(), Optional.empty());
    }

    private static UserAccount account(String tenant, String... roles) {
        return new UserAccount("id", "someone", "Some", "One", "s@x.nl", Optional.ofNullable(tenant), Set.of(roles),
                true, Optional.empty());
    }

    @Test
    void aTenantAdminManagesOwnInstitutionOnly() {
        Caller admin = caller("tenant-admin", "nl-amstel");
        assertThat(policy.userAdminInstitution(admin, Optional.empty())).isEqualTo(AMSTEL);
        assertThat(policy.userAdminInstitution(admin, Optional.of(AMSTEL))).isEqualTo(AMSTEL);
        assertThatThrownBy(() -> policy.userAdminInstitution(admin, Optional.of(SPREE)))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-0904");
        assertThat(policy.mayManageUser(admin, account("nl-amstel", "clinician"))).isTrue();
        assertThat(policy.mayManageUser(admin, account("de-spree", "clinician"))).isFalse();
    }

    @Test
    void aPlatformAdminNamesTheInstitutionAndManagesAny() {
        Caller platform = caller("platform-admin", null);
        assertThat(policy.userAdminInstitution(platform, Optional.of(SPREE))).isEqualTo(SPREE);
        assertThatThrownBy(() -> policy.userAdminInstitution(platform, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("EHR-0905");
        assertThat(policy.mayManageUser(platform, account("de-spree", "nurse"))).isTrue();
    }

    @Test
    void patientsPlatformAdminsAndInstitutionlessAccountsAreNobodysToManage() {
        Caller admin = caller("tenant-admin", "nl-amstel");
        assertThat(policy.mayManageUser(admin, account("nl-amstel", "patient"))).isFalse();
        assertThat(policy.mayManageUser(admin, account("nl-amstel", "platform-admin"))).isFalse();
        assertThat(policy.mayManageUser(admin, account("nl-amstel", "clinician", "platform-admin"))).isFalse();
        assertThat(policy.mayManageUser(caller("platform-admin", null), account(null, "clinician"))).isFalse();
    }

    @Test
    void everyoneElseIsRefused() {
        for (String role : new String[] {"clinician", "nurse", "researcher", "patient"}) {
            assertThatThrownBy(() -> policy.userAdminInstitution(caller(role, "nl-amstel"), Optional.empty()))
                    .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-0901");
            assertThat(policy.mayManageUser(caller(role, "nl-amstel"), account("nl-amstel", "nurse"))).isFalse();
        }
        assertThatThrownBy(() -> policy.requireUserAdmin(caller("tenant-admin", null)))
                .hasMessageStartingWith("EHR-0901");
    }

    @Test
    void onlyStaffRolesAreGiven() {
        Caller admin = caller("tenant-admin", "nl-amstel");
        for (String role : new String[] {"clinician", "nurse", "researcher", "tenant-admin"}) {
            policy.requireGivableRole(admin, role);
        }
        assertThatThrownBy(() -> policy.requireGivableRole(admin, "platform-admin"))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-0902");
        assertThatThrownBy(() -> policy.requireGivableRole(caller("platform-admin", null), "platform-admin"))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-0902");
        assertThatThrownBy(() -> policy.requireGivableRole(admin, "patient"))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-0902");
        assertThatThrownBy(() -> policy.requireGivableRole(admin, "wizard"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("EHR-0903");
    }
}
