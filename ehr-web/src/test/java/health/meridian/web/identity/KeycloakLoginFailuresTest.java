package health.meridian.web.identity;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditOutcome;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.audit.LoginFailure;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeycloakLoginFailuresTest {

    private static final String EVENTS = """
            [{"id":"7c1f","time":1796040000123,"type":"LOGIN_ERROR","realmId":"meridian","clientId":"meridian-cli",
              "ipAddress":"127.0.0.1","error":"user_not_found",
              "details":{"auth_method":"openid-connect","grant_type":"password","username":"nobody"}},
             {"time":1796040001000,"type":"LOGIN_ERROR","realmId":"meridian","clientId":"meridian-web",
              "userId":"a1b2","sessionId":"s1","ipAddress":"10.0.0.7","error":"invalid_user_credentials",
              "details":{"username":"dr.jansen"}}]""";

    @Test
    void readsKeycloakEventsAsLoginFailuresKeyedByTheirEventId() {
        List<LoginFailure> failures = KeycloakLoginFailures.parse(EVENTS);
        assertThat(failures).hasSize(2);
        LoginFailure unknown = failures.get(0);
        assertThat(unknown.eventKey()).isEqualTo("keycloak:7c1f");
        assertThat(unknown.time()).isEqualTo(Instant.ofEpochMilli(1796040000123L));
        assertThat(unknown.username()).isEqualTo("nobody");
        assertThat(unknown.userId()).isNull();
        assertThat(unknown.grantType()).isEqualTo("password");
        assertThat(failures.get(1).eventKey()).as("without an id: time, type, user, session, address, client")
                .isEqualTo("keycloak:1796040001000|LOGIN_ERROR|a1b2|s1|10.0.0.7|meridian-web");
    }

    @Test
    void aLoginFailureIsAPlatformLevelBalpEventAboutTheAttemptedUser() {
        List<LoginFailure> failures = KeycloakLoginFailures.parse(EVENTS);
        AuditRecord unknown = failures.get(0).auditRecord();
        assertThat(unknown.action()).isEqualTo(AuditAction.E);
        assertThat(unknown.interaction()).isEqualTo("login");
        assertThat(unknown.outcome()).isEqualTo(AuditOutcome.MINOR_FAILURE);
        assertThat(unknown.actor().subject()).isEqualTo(LoginFailure.UNKNOWN_USER);
        assertThat(unknown.actor().username()).isEqualTo("nobody");
        assertThat(unknown.actor().tenant()).as("no default tenant").isNull();
        assertThat(unknown.custodian()).isNull();
        assertThat(unknown.personId()).isNull();
        assertThat(unknown.detail()).startsWith("EHR-0710 login failed: user_not_found")
                .contains("client meridian-cli").contains("grant password").contains("from 127.0.0.1")
                .contains("event keycloak:7c1f");
        assertThat(failures.get(1).auditRecord().actor().subject()).isEqualTo("a1b2");
    }
}
