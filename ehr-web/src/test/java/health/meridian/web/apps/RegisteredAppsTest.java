package health.meridian.web.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.apps.SmartApp;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry's verdict on a token's client, and what a registration must hold (ADR 0031), in-process. */
class RegisteredAppsTest {

    private static final String JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"abc\",\"e\":\"AQAB\",\"kid\":\"k1\"}]}";

    private static SmartApp backend(Optional<Instant> revoked) {
        return new SmartApp("registry-pull", TenantId.of("nl-amstel"), "Registry", SmartApp.Kind.BACKEND, List.of(),
                List.of("system/*.rs"), JWKS, "admin", Instant.now(), revoked);
    }

    @Test
    void firstPartyClientsAreImplicitlyRegisteredAndNeverLookedUp() {
        RegisteredApps apps = new RegisteredApps(); // no registry: a lookup would fail
        assertThat(apps.check("meridian-web", null).admitted()).isTrue();
        assertThat(apps.check("meridian-cli-smart", "nl-amstel").admitted()).isTrue();
        assertThat(apps.check(null, "nl-amstel").refusal()).startsWith("EHR-1170");
    }

    @Test
    void anUnknownOrRevokedAppOrABackendNamingAnotherInstitutionIsRefused() {
        assertThat(RegisteredApps.judge(null, "nl-amstel").refusal()).startsWith("EHR-1170");
        assertThat(RegisteredApps.judge(backend(Optional.of(Instant.now())), "nl-amstel").refusal())
                .startsWith("EHR-1170").contains("revoked");
        assertThat(RegisteredApps.judge(backend(Optional.empty()), "de-spree").admitted()).isFalse();
        RegisteredApps.Verdict ok = RegisteredApps.judge(backend(Optional.empty()), "nl-amstel");
        assertThat(ok.admitted()).isTrue();
        assertThat(ok.app().orElseThrow().name()).isEqualTo("Registry");
    }

    @Test
    void aRegistrationIsValidatedAtTheInterface() {
        TenantId t = TenantId.of("nl-amstel");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("meridian-web", "X",
                "public", List.of("https://app.example/cb"), List.of("patient/*.rs"), null), t, "a"))
                .hasMessageStartingWith("EHR-1171");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("app-1", "X",
                "robot", List.of(), List.of(), null), t, "a")).hasMessageStartingWith("EHR-1172");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("app-1", "X",
                "backend", List.of(), List.of("system/*.rs"), null), t, "a")).hasMessageStartingWith("EHR-1174");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("app-1", "X",
                "backend", List.of(), List.of("system/*.rs"), "{\"keys\":[{\"kty\":\"RSA\",\"d\":\"secret\"}]}"), t,
                "a")).as("a private key is refused").hasMessageStartingWith("EHR-1174");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("app-1", "X",
                "backend", List.of(), List.of("user/*.rs"), JWKS), t, "a")).hasMessageStartingWith("EHR-1177");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("app-1", "X",
                "public", List.of("http://evil.example/cb"), List.of("patient/*.rs"), null), t, "a"))
                .hasMessageStartingWith("EHR-1176");
        assertThatThrownBy(() -> AppRegistryService.app(new AppRegistryService.Registration("app-1", "X",
                "public", List.of(), List.of("patient/*.rs"), null), t, "a")).hasMessageStartingWith("EHR-1175");
        SmartApp ok = AppRegistryService.app(new AppRegistryService.Registration("app-1", "Growth charts",
                "public", List.of("https://app.example/cb"), List.of("openid", "launch", "patient/*.rs"), null), t, "a");
        assertThat(ok.kind()).isEqualTo(SmartApp.Kind.PUBLIC);
        assertThat(ok.jwks()).isNull();
    }
}
