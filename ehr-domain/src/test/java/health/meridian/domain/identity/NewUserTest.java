package health.meridian.domain.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.tenant.TenantId;
import org.junit.jupiter.api.Test;

class NewUserTest {

    private static final TenantId AMSTEL = TenantId.of("nl-amstel");

    @Test
    void normalisesAndDerivesThePractitionerId() {
        NewUser u = new NewUser(" Dr.De_Vries ", " Jan ", "de Vries", "jan@amstel.example.nl", "clinician", AMSTEL);
        assertThat(u.username()).isEqualTo("dr.de_vries");
        assertThat(u.firstName()).isEqualTo("Jan");
        assertThat(u.practitionerId()).isEqualTo("prac-nl-amstel-dr.de-vries").matches("^[A-Za-z0-9\\-.]{1,64}$");
        assertThat(NewUser.practitionerIdFor(AMSTEL, "x".repeat(64))).hasSize(64);
    }

    @Test
    void refusesWhatKeycloakOrTheDirectoryWouldNot() {
        assertThatThrownBy(() -> new NewUser("ab", "A", "B", "a@b.nl", "nurse", AMSTEL)).hasMessageStartingWith(
                "EHR-0908");
        assertThatThrownBy(() -> new NewUser("a b c", "A", "B", "a@b.nl", "nurse", AMSTEL)).hasMessageStartingWith(
                "EHR-0908");
        assertThatThrownBy(() -> new NewUser("abc", " ", "B", "a@b.nl", "nurse", AMSTEL)).hasMessageStartingWith(
                "EHR-0910");
        assertThatThrownBy(() -> new NewUser("abc", "A", "B", "not-mail", "nurse", AMSTEL)).hasMessageStartingWith(
                "EHR-0909");
        assertThatThrownBy(() -> new NewUser("abc", "A", "B", "a@b.nl", "platform-admin", AMSTEL))
                .hasMessageStartingWith("EHR-0903");
        assertThatThrownBy(() -> new NewUser("abc", "A", "B", "a@b.nl", "nurse", null)).hasMessageStartingWith(
                "EHR-0905");
    }
}
