package health.meridian.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tickets with which Keycloak's SMART patient picker action (infra/keycloak/smart-launch,
 * {@code SmartPickerAction}; ADR 0032) sends a signed-in user to Meridian's picker in the middle of a standalone
 * launch. A ticket is a JWT the realm signed with its RS256 key (verified here against the realm's published keys),
 * with {@code typ} {@value #TYPE}, this Meridian's base as its audience (never {@code meridian-api}: MicroProfile JWT
 * refuses it on {@code /api} and {@code /fhir}), the user's identity claims, the app ({@code azp}), a lifetime of at
 * most ten minutes and {@code return}, the realm's login-actions URL of that sign-in — which must be exactly this
 * realm's {@code /login-actions/required-action?...} (nowhere else: no open redirect). Accepted only by the picker
 * ({@code SmartPickerServlet}).
 */
@ApplicationScoped
public class SmartPickerTickets {

    public static final String TYPE = "meridian-smart-picker";
    static final long MAX_LIFETIME_SECONDS = 600;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{10,4000}\\.[A-Za-z0-9_-]{10,12000}"
            + "\\.[A-Za-z0-9_-]{100,1000}");
    private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9_.:/-]{1,200}");

    /** A verified ticket: who is launching, with which app, and where to send the browser back. */
    public record Ticket(String subject, String username, String name, Set<String> roles, Optional<String> tenant,
                         Optional<String> practitionerId, Optional<String> personId, String client, String returnUrl,
                         long expiresAt, String raw) {
    }

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    Optional<String> issuer;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile long keysFetchedAt;

    /** The ticket, when genuine, current, for {@code audience} (this Meridian's base) and returning to this realm. */
    public Optional<Ticket> verify(String ticket, String audience) {
        if (issuer.isEmpty() || ticket == null) {
            return Optional.empty();
        }
        return verify(ticket, issuer.get(), audience, Instant.now(), this::key);
    }

    private PublicKey key(String kid) {
        PublicKey key = keys.get(kid);
        long now = System.currentTimeMillis();
        if (key == null && now - keysFetchedAt > 10_000) { // a rotated realm key: fetch again, at most every 10 s
            keysFetchedAt = now;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer.get()
                        + "/protocol/openid-connect/certs")).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    keys = rsaKeys(r.body());
                    key = keys.get(kid);
                }
            } catch (java.io.IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return key;
    }

    /** The RS256 signing keys of a JWKS document, by key id. */
    static Map<String, PublicKey> rsaKeys(String jwks) {
        Map<String, PublicKey> found = new HashMap<>();
        JsonObject doc = Json.createReader(new StringReader(jwks)).readObject();
        for (JsonValue v : doc.getJsonArray("keys")) {
            JsonObject k = v.asJsonObject();
            if (!"RSA".equals(k.getString("kty", "")) || !"sig".equals(k.getString("use", "sig"))
                    || !k.containsKey("kid") || !k.containsKey("n") || !k.containsKey("e")) {
                continue;
            }
            try {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(k.getString("n")));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(k.getString("e")));
                found.put(k.getString("kid"), KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(n, e)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not a usable key: left out
            }
        }
        return Map.copyOf(found);
    }

    static Optional<Ticket> verify(String ticket, String issuer, String audience, Instant now,
                                   Function<String, PublicKey> keys) {
        if (ticket == null || !SHAPE.matcher(ticket).matches() || audience == null) {
            return Optional.empty();
        }
        String[] parts = ticket.split("\\.");
        try {
            JsonObject header = json(parts[0]);
            if (!"RS256".equals(header.getString("alg", "")) || !(header.get("kid") instanceof JsonString kid)) {
                return Optional.empty();
            }
            PublicKey key = keys.apply(kid.getString());
            if (key == null) {
                return Optional.empty();
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonObject claims = json(parts[1]);
            long exp = number(claims, "exp");
            long iat = number(claims, "iat");
            long t = now.getEpochSecond();
            String returnUrl = text(claims, "return").orElse("");
            String client = text(claims, "azp").orElse("");
            if (!TYPE.equals(text(claims, "typ").orElse(null)) || !issuer.equals(text(claims, "iss").orElse(null))
                    || !audience.equals(audienceOf(claims)) || exp <= t || iat > t + 30
                    || exp - iat > MAX_LIFETIME_SECONDS || text(claims, "sub").isEmpty()
                    || !CLIENT.matcher(client).matches() || !returnsToRealm(returnUrl, issuer)) {
                return Optional.empty();
            }
            Set<String> roles = new LinkedHashSet<>();
            if (claims.get("groups") instanceof jakarta.json.JsonArray groups) {
                groups.forEach(g -> {
                    if (g instanceof JsonString s) {
                        roles.add(s.getString());
                    }
                });
            }
            String username = text(claims, "preferred_username").orElse(claims.getString("sub"));
            return Optional.of(new Ticket(claims.getString("sub"), username, text(claims, "name").orElse(username),
                    Set.copyOf(roles), text(claims, "tenant"), text(claims, "practitioner_id"),
                    text(claims, "person_id"), client, returnUrl, exp, ticket));
        } catch (RuntimeException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * Only this realm's required-action endpoint of the login in progress: {@code <issuer>/login-actions/
     * required-action?} followed by a plain query (no fragment, no spaces, no other host).
     */
    static boolean returnsToRealm(String url, String issuer) {
        String prefix = issuer + "/login-actions/required-action?";
        return url != null && url.startsWith(prefix) && url.length() < 2000
                && url.substring(prefix.length()).matches("[A-Za-z0-9_.~%=&+-]*")
                && url.contains("execution=meridian-smart-picker");
    }

    private static String audienceOf(JsonObject claims) {
        JsonValue aud = claims.get("aud");
        if (aud instanceof JsonString s) {
            return s.getString();
        }
        if (aud instanceof jakarta.json.JsonArray a && a.size() == 1 && a.get(0) instanceof JsonString s) {
            return s.getString();
        }
        return null;
    }

    private static JsonObject json(String part) {
        return Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(part),
                StandardCharsets.UTF_8))).readObject();
    }

    private static long number(JsonObject o, String name) {
        return o.get(name) instanceof jakarta.json.JsonNumber n ? n.longValue() : -1;
    }

    private static Optional<String> text(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s && !s.getString().isBlank() ? Optional.of(s.getString())
                : Optional.empty();
    }
}
