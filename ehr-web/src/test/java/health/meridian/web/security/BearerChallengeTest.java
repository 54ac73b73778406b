package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerChallengeTest {

    @Test
    void theChallengeSaysWhyOnlyWhenATokenWasSent() {
        assertThat(BearerTokenFilter.challenge(null)).isEqualTo("Bearer realm=\"meridian\"");
        assertThat(BearerTokenFilter.challenge("Bearer abc"))
                .startsWith("Bearer realm=\"meridian\", error=\"invalid_token\"");
        assertThat(BearerTokenFilter.challenge("bearer abc")).contains("error=\"invalid_token\"");
        assertThat(BearerTokenFilter.challenge("Basic dXNlcjpwdw==")).contains("error=\"invalid_request\"");
    }
}
