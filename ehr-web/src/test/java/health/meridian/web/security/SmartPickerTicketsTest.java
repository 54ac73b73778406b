package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The SMART patient picker's tickets (ADR 0032): only genuine, current tickets of this realm for this Meridian. */
class SmartPickerTicketsTest {

    static final String ISSUER = "http://127.0.0.1:8180/realms/meridian";
    static final String BASE = "http://127.0.0.1:8080";
    static final String RETURN = ISSUER + "/login-actions/required-action?session_code=abc-DEF_1&execution="
            + "meridian-smart-picker&client_id=meridian-demo-app&tab_id=x1Y2&client_data=eyJy";
    static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");
    static final KeyPair REALM = keys();
    static final KeyPair OTHER = keys();

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String ticket(PrivateKey key, String alg, Consumer<JsonObjectBuilder> claims) {
        JsonObjectBuilder c = Json.createObjectBuilder().add("typ", SmartPickerTickets.TYPE).add("iss", ISSUER)
                .add("aud", BASE).add("sub", "user-1").add("azp", "meridian-demo-app")
                .add("iat", NOW.getEpochSecond() - 10).add("exp", NOW.getEpochSecond() + 290)
                .add("return", RETURN).add("preferred_username", "patient.anna").add("name", "Anna Jansen")
                .add("groups", Json.createArrayBuilder().add("patient").add("default-roles-meridian"))
                .add("person_id", "person-anna");
        claims.accept(c);
        String header = b64(Json.createObjectBuilder().add("alg", alg).add("typ", "JWT").add("kid", "k1").build()
                .toString());
        String body = b64(c.build().toString());
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
            return header + "." + body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static java.util.Optional<SmartPickerTickets.Ticket> verify(String ticket) {
        Map<String, PublicKey> keys = Map.of("k1", REALM.getPublic());
        return SmartPickerTickets.verify(ticket, ISSUER, BASE, NOW, keys::get);
    }

    @Test
    void aGenuineTicketNamesTheUserTheAppAndTheWayBack() {
        var t = verify(ticket(REALM.getPrivate(), "RS256", c -> { }));
        assertThat(t).isPresent();
        assertThat(t.get().subject()).isEqualTo("user-1");
        assertThat(t.get().client()).isEqualTo("meridian-demo-app");
        assertThat(t.get().roles()).contains("patient");
        assertThat(t.get().personId()).contains("person-anna");
        assertThat(t.get().returnUrl()).isEqualTo(RETURN);
        assertThat(CurrentCaller.ofPickerTicket(t.get()).roles()).containsExactly("patient");
        assertThat(CurrentCaller.ofPickerTicket(t.get()).scopes().narrows()).isFalse();
    }

    @Test
    void aForgedOrAlteredTicketIsRefused() {
        assertThat(verify(ticket(OTHER.getPrivate(), "RS256", c -> { }))).as("signed by another key").isEmpty();
        String genuine = ticket(REALM.getPrivate(), "RS256", c -> { });
        String[] p = genuine.split("\\.");
        String altered = p[0] + "." + b64(new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8)
                .replace("user-1", "user-2")) + "." + p[2];
        assertThat(verify(altered)).as("claims altered").isEmpty();
        String none = b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + p[1] + "." + p[2];
        assertThat(verify(none)).as("alg none").isEmpty();
        assertThat(verify(ticket(REALM.getPrivate(), "RS512", c -> { }))).as("another algorithm").isEmpty();
        assertThat(verify("not-a-ticket")).isEmpty();
        assertThat(verify(null)).isEmpty();
    }

    @Test
    void anExpiredOrLongLivedTicketIsRefused() {
        assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("exp", NOW.getEpochSecond()))))
                .as("expired").isEmpty();
        assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("exp", NOW.getEpochSecond() + 3600))))
                .as("lives longer than ten minutes").isEmpty();
        assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("iat", NOW.getEpochSecond() + 120)
                .add("exp", NOW.getEpochSecond() + 300)))).as("issued in the future").isEmpty();
    }

    @Test
    void anAccessTokenOrATicketForAnotherMeridianIsNoTicket() {
        assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("typ", "Bearer")
                .add("aud", "meridian-api")))).as("an access token of the realm").isEmpty();
        assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("aud", "http://127.0.0.1:9999"))))
                .as("made for another Meridian").isEmpty();
        assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("iss", "http://evil.example/realms/m"))))
                .as("another issuer").isEmpty();
    }

    @Test
    void theWayBackIsOnlyThisRealmsLoginActions() {
        for (String elsewhere : new String[] {"https://evil.example/login-actions/required-action?execution="
                + "meridian-smart-picker", ISSUER + ".evil.example/login-actions/required-action?execution="
                + "meridian-smart-picker", ISSUER + "/login-actions/authenticate?execution=meridian-smart-picker",
                ISSUER + "/login-actions/required-action?execution=meridian-smart-picker#x",
                ISSUER + "/login-actions/required-action?execution=meridian-smart-picker&r=http://evil.example/",
                ISSUER + "/login-actions/required-action?execution=UPDATE_PASSWORD", ""}) {
            assertThat(verify(ticket(REALM.getPrivate(), "RS256", c -> c.add("return", elsewhere))))
                    .as(elsewhere).isEmpty();
        }
    }

    @Test
    void theRealmsPublishedKeysAreRead() {
        RSAPublicKey pub = (RSAPublicKey) REALM.getPublic();
        String jwks = "{\"keys\":[{\"kid\":\"k1\",\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(pub.getModulus().toByteArray())
                + "\",\"e\":\"AQAB\"},{\"kid\":\"enc\",\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
        Map<String, PublicKey> keys = SmartPickerTickets.rsaKeys(jwks);
        assertThat(keys).containsOnlyKeys("k1");
        assertThat(SmartPickerTickets.verify(ticket(REALM.getPrivate(), "RS256", c -> { }), ISSUER, BASE, NOW,
                keys::get)).isPresent();
    }
}
