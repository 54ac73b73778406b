package health.meridian.web.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens that MicroProfile JWT already validated (signature, issuer, audience, algorithm, expiry), so that
 * the same token string is not parsed and its RS256 signature not verified again on every request of its lifetime.
 * An entry is found only by the SHA-256 of the exact token string: a token differing in any byte (another payload,
 * another signature) is not in here and goes through full validation. An entry is used only while
 * {@code now < exp} (Payara's own rule, no clock skew) and for at most {@link #MAX_AGE_MS} after it was validated.
 * Bounded: beyond {@link #MAX_ENTRIES} the expired entries are dropped, and if that is not enough, all of them.
 * Tokens are never revoked by MP-JWT (it validates offline), so caching a validation adds no new window.
 */
public final class ValidatedTokens {

    static final long MAX_AGE_MS = 300_000;
    static final int MAX_ENTRIES = 10_000;

    /** What a hit gives back: the principal MP-JWT built for that token and its groups. */
    public record Validated(JsonWebToken principal, Set<String> groups, long usableUntilMs) {
    }

    private final ConcurrentHashMap<String, Validated> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public ValidatedTokens(Clock clock) {
        this.clock = clock;
    }

    /** Remembers a token MP-JWT accepted for this request ({@code principal.getRawToken()} is the token string). */
    public void remember(JsonWebToken principal) {
        String raw = principal.getRawToken();
        long exp = principal.getExpirationTime();
        if (raw == null || exp <= 0) {
            return;
        }
        long now = clock.millis();
        long until = Math.min(exp * 1000, now + MAX_AGE_MS);
        if (until <= now) {
            return;
        }
        String key = key(raw);
        if (entries.containsKey(key)) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(v -> v.usableUntilMs() <= now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        Set<String> groups = principal.getGroups() == null ? Set.of() : Set.copyOf(principal.getGroups());
        entries.put(key, new Validated(principal, groups, until));
    }

    /** The earlier validation of exactly this token string, if it is still usable; otherwise null. */
    public Validated lookup(String rawToken) {
        if (rawToken == null) {
            return null;
        }
        String key = key(rawToken);
        Validated v = entries.get(key);
        if (v == null) {
            return null;
        }
        if (clock.millis() >= v.usableUntilMs() || !rawToken.equals(v.principal().getRawToken())) {
            entries.remove(key, v);
            return null;
        }
        return v;
    }

    int size() {
        return entries.size();
    }

    private static String key(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
