package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class ValidatedTokensTest {

    /** A settable clock: the cache is asked at chosen instants. */
    static final class TestClock extends Clock {
        long millis;

        TestClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static JsonWebToken token(String raw, long expSeconds, String... groups) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("raw_token", raw);
        claims.put("exp", expSeconds);
        claims.put("groups", Set.of(groups));
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "dr.jansen";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }

    private final TestClock clock = new TestClock(1_000_000_000_000L);
    private final ValidatedTokens tokens = new ValidatedTokens(clock);

    @Test
    void onlyTheExactTokenStringIsFound() {
        tokens.remember(token("aaa.bbb.ccc", clock.millis / 1000 + 60, "clinician"));
        assertThat(tokens.lookup("aaa.bbb.ccc")).isNotNull();
        assertThat(tokens.lookup("aaa.bbb.ccc").groups()).containsExactly("clinician");
        assertThat(tokens.lookup("aaa.bbb.ccd")).as("another signature").isNull();
        assertThat(tokens.lookup("aaa.bbX.ccc")).as("another payload").isNull();
        assertThat(tokens.lookup(null)).isNull();
    }

    @Test
    void aTokenIsNotUsableFromItsExpiryOn() {
        long exp = clock.millis / 1000 + 60;
        tokens.remember(token("t", exp));
        clock.millis = exp * 1000 - 1;
        assertThat(tokens.lookup("t")).as("one millisecond before exp").isNotNull();
        clock.millis = exp * 1000;
        assertThat(tokens.lookup("t")).as("at exp (Payara refuses once now >= exp)").isNull();
        clock.millis = exp * 1000 - 1;
        assertThat(tokens.lookup("t")).as("dropped, not merely hidden").isNull();
    }

    @Test
    void aLongLivedTokenIsRevalidatedAfterTheMaximumAge() {
        tokens.remember(token("long", clock.millis / 1000 + 86_400));
        clock.millis += ValidatedTokens.MAX_AGE_MS - 1;
        assertThat(tokens.lookup("long")).isNotNull();
        clock.millis += 1;
        assertThat(tokens.lookup("long")).isNull();
    }

    @Test
    void anExpiredOrIncompleteTokenIsNotRemembered() {
        tokens.remember(token("old", clock.millis / 1000 - 1));
        tokens.remember(token(null, clock.millis / 1000 + 60));
        tokens.remember(token("noexp", 0));
        assertThat(tokens.size()).isZero();
        assertThat(tokens.lookup("old")).isNull();
    }

    @Test
    void theCacheStaysBounded() {
        long exp = clock.millis / 1000 + 60;
        for (int i = 0; i < ValidatedTokens.MAX_ENTRIES + 5; i++) {
            tokens.remember(token("t" + i, exp));
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(ValidatedTokens.MAX_ENTRIES);
        assertThat(tokens.lookup("t" + (ValidatedTokens.MAX_ENTRIES + 4))).as("the newest is kept").isNotNull();
    }
}
