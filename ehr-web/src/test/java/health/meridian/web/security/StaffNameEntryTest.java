package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.tenant.TenantId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which name a staff member's request enters for the access logs (issue #20). */
class StaffNameEntryTest {

    private static Caller mueller(String displayName) {
        return new Caller("sub-mueller", "dr.mueller", Set.of("clinician"), Optional.of(TenantId.of("de-spree")),
                Optional.of("prac-de-mueller"), Optional.empty(), displayName, SmartScopes.NONE, Optional.empty());
    }

    @Test
    void theTokensNameIsEnteredTrimmedAndBounded() {
        assertThat(AccessContext.nameToEnter(mueller("  Katrin Müller "))).isEqualTo("Katrin Müller");
        assertThat(AccessContext.nameToEnter(mueller("K".repeat(250)))).hasSize(200);
    }

    @Test
    void aTokenWithoutANameDoesNotReplaceTheKnownNameWithTheUsername() {
        // CurrentCaller falls back to the username when the token carries no name claim
        assertThat(AccessContext.nameToEnter(mueller("dr.mueller"))).isNull();
        assertThat(AccessContext.nameToEnter(mueller(" "))).isNull();
        assertThat(AccessContext.nameToEnter(mueller(null))).isNull();
    }
}
