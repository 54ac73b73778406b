package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #5: every failed login is an AuditEvent. A wrong password at Keycloak (for a user name nobody has, so no demo
 * user's brute-force counter moves) becomes, within seconds, one platform-level audit row in the hash chain: the
 * platform admin's audit search shows it, a tenant admin's does not, and it is not imported twice.
 */
@ExtendWith(ArquillianExtension.class)
class LoginFailureAuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @Test
    void aFailedPasswordLoginBecomesOnePlatformLevelAuditEvent() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        Instant before = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        String who = "it-nobody-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> refused = failedLogin(who);
        assertThat(refused.statusCode()).as("Keycloak refuses the password: " + refused.body()).isIn(400, 401);
        assertThat(refused.body()).contains("invalid_grant");

        JsonNode event = awaitLoginEvent(fx, who, before);
        assertThat(event.path("outcome").asText()).isEqualTo("4");
        assertThat(event.path("type").path("code").asText()).isEqualTo("110114");
        assertThat(event.path("subtype").get(0).path("code").asText()).isEqualTo("110122");
        assertThat(event.path("action").asText()).isEqualTo("E");
        assertThat(event.path("outcomeDesc").asText()).startsWith("EHR-0710 login failed")
                .contains("meridian-cli");
        assertThat(event.path("agent").get(0).path("policy").isMissingNode()).as("no tenant").isTrue();

        String amstel = AccessFixtures.send("GET", fx.fhir("AuditEvent?date=ge" + before + "&_count=500"),
                AccessFixtures.token("admin.amstel"), null).body();
        assertThat(amstel).as("a tenant admin does not see platform-level rows").doesNotContain(who);
        Thread.sleep(12_000);
        assertThat(rowsAbout(who)).as("imported once, however often the importer polls").isEqualTo(1);
    }

    private static HttpResponse<String> failedLogin(String username) throws Exception {
        String form = "grant_type=password&client_id=meridian-cli&username=" + AccessFixtures.enc(username)
                + "&password=not-the-password";
        HttpRequest request = HttpRequest.newBuilder(URI.create(System.getProperty("meridian.test.oidc.issuer")
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return AccessFixtures.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The platform admin's audit search, polled until the login failure of {@code who} appears (60 s at most). */
    private static JsonNode awaitLoginEvent(AccessFixtures fx, String who, Instant since) throws Exception {
        String admin = AccessFixtures.token("platform.admin");
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = AccessFixtures.send("GET", fx.fhir("AuditEvent?date=ge" + since + "&_count=500"),
                    admin, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            last = r.body();
            for (JsonNode e : JSON.readTree(last).path("entry")) {
                JsonNode event = e.path("resource");
                if (who.equals(event.path("agent").get(0).path("who").path("display").asText())) {
                    return event;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no login failure of " + who + " in the platform admin's audit search: " + last);
    }

    private static int rowsAbout(String who) throws Exception {
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE username = ? AND interaction = 'login'")) {
            s.setString(1, who);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
