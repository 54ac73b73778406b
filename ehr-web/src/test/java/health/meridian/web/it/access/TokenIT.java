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
 * meridian-cli, not meridian-api), an access token whose header was switched to HS256 (key confusion), and a genuine
 * access token after its {@code exp} (the realm's meridian-cli-short-lived client issues 5-second tokens; the app
 * allows no clock skew: mp.jwt.verify.clock.skew is not set).
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
        String idClaims = claims(idToken);
        assertThat(idClaims).as("signed by the realm, in its lifetime, for another audience")
                .contains("\"aud\":\"meridian-cli\"").doesNotContain("meridian-api");
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

    @Test
    void aGenuineAccessTokenIsRefusedOnceItExpired() throws Exception {
        AccessFixtures fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        String token = shortLivedToken("dr.jansen");
        String payload = claims(token);
        java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\":(\\d+)").matcher(payload);
        assertThat(exp.find()).as(payload).isTrue();
        long expires = Long.parseLong(exp.group(1));
        assertThat(payload).contains("\"aud\":\"meridian-api\"").contains("\"tenant\":\"nl-amstel\"");
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient?name=x"), token, null).statusCode())
                .as("before exp the same token works").isEqualTo(200);

        long waitMillis = (expires + 1) * 1000 - System.currentTimeMillis();
        Thread.sleep(Math.max(0, waitMillis));
        java.net.http.HttpResponse<String> fhir = AccessFixtures.send("GET", fx.fhir("Patient?name=x"), token, null);
        assertThat(fhir.statusCode()).as("after exp: " + fhir.body()).isEqualTo(401);
        assertThat(AccessFixtures.send("GET", fx.api("grants"), token, null).statusCode()).isEqualTo(401);
    }

    /** An access token of the realm's short-lived test client (5 s lifespan, otherwise like meridian-cli). */
    private static String shortLivedToken(String username) throws Exception {
        String form = "grant_type=password&client_id=meridian-cli-short-lived&username=" + AccessFixtures.enc(username)
                + "&password=meridian";
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        System.getProperty("meridian.test.oidc.issuer") + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
        String body = AccessFixtures.HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(body);
        assertThat(m.find()).as(body).isTrue();
        assertThat(body).contains("\"expires_in\":5");
        return m.group(1);
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
    }
}
