package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens the realm really signed but that are not access tokens for this API are refused: an ID token (audience
 * meridian-cli, not meridian-api), and an access token whose header was switched to HS256 (key confusion).
 */
@ExtendWith(ArquillianExtension.class)
class TokenIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @Test
    void wrongAudienceAndAlgorithmConfusionAreRefused() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        String idToken = AccessFixtures.tokenField("dr.jansen", "id_token", "&scope=openid");
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), idToken, null).statusCode())
                .as("ID token: wrong audience").isEqualTo(401);
        String[] parts = AccessFixtures.token("dr.jansen").split("\\.");
        String hs = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + "." + parts[2];
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), hs, null).statusCode())
                .as("HS256 header").isEqualTo(401);
        assertThat(AccessFixtures.send("GET", fx.api("grants"), idToken, null).statusCode()).isEqualTo(401);
    }

    @Test
    void unsignedAndTamperedTokensAreRefused() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        String token = AccessFixtures.token("dr.jansen");
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), token, null).statusCode())
                .as("the genuine token works").isEqualTo(200);
        String[] parts = token.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String none = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), none, null).statusCode())
                .as("alg:none").isEqualTo(401);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"tenant\":\"nl-amstel\"");
        String forged = parts[0] + "." + b64.encodeToString(payload.replace("\"tenant\":\"nl-amstel\"",
                "\"tenant\":\"de-spree\"").getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), forged, null).statusCode())
                .as("payload changed after signing (another tenant)").isEqualTo(401);
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), parts[0] + "." + parts[1] + ".AAAA", null)
                .statusCode()).as("bad signature").isEqualTo(401);
    }
}
