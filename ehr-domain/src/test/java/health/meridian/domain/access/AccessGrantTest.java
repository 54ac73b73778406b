package health.meridian.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessGrantTest {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final String PSY = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";
    private static final String HIV = "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV";

    private static AccessGrant grant(GrantScope scope, Instant start, Instant end) {
        return AccessGrant.grant("person-anna", Grantee.practitioner("prac-de-mueller"), scope, "TREAT", start, end);
    }

    @Test
    void grantToNobodyOrToBothIsRefused() {
        assertThatThrownBy(() -> AccessGrant.grant("person-anna", null, new GrantScope("all", Set.of()), "TREAT",
                NOW, null)).hasMessageStartingWith("EHR-0601");
        assertThatThrownBy(() -> new Grantee(java.util.Optional.of("p"), java.util.Optional.of(TenantId.of("de-spree"))))
                .hasMessageStartingWith("EHR-0601");
    }

    @Test
    void endBeforeStartIsRefused() {
        assertThatThrownBy(() -> grant(new GrantScope("all", Set.of()), NOW, NOW.minusSeconds(1)))
                .hasMessageStartingWith("EHR-0602");
    }

    @Test
    void activeOnlyWithinPeriodAndUntilRevoked() {
        AccessGrant g = grant(new GrantScope("all", Set.of()), NOW, NOW.plus(Duration.ofDays(1)));
        assertThat(g.isActiveAt(NOW.minusSeconds(1))).isFalse();
        assertThat(g.isActiveAt(NOW)).isTrue();
        assertThat(g.isActiveAt(NOW.plus(Duration.ofDays(1)))).isFalse();
        g.revoke(NOW.plusSeconds(5));
        assertThat(g.isActiveAt(NOW.plusSeconds(6))).isFalse();
        assertThatThrownBy(() -> g.revoke(NOW)).hasMessageStartingWith("EHR-0609");
    }

    @Test
    void scopeDecidesSensitiveCategories() {
        List<String> plain = List.of("http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N");
        assertThat(new GrantScope("exclude-sensitive", Set.of()).admits(plain)).isTrue();
        assertThat(new GrantScope("exclude-sensitive", Set.of()).admits(List.of(PSY))).isFalse();
        assertThat(new GrantScope("categories", Set.of("PSY")).admits(List.of(PSY))).isTrue();
        assertThat(new GrantScope("categories", Set.of("PSY")).admits(List.of(PSY, HIV))).isFalse();
        assertThat(new GrantScope("all", Set.of()).admits(List.of(PSY, HIV))).isTrue();
        assertThatThrownBy(() -> new GrantScope("categories", Set.of())).hasMessageStartingWith("EHR-0604");
        assertThatThrownBy(() -> new GrantScope("everything", Set.of())).hasMessageStartingWith("EHR-0603");
    }

    @Test
    void admitsOnlyTheGranteeForThePersonsRecords() {
        AccessGrant g = grant(new GrantScope("exclude-sensitive", Set.of()), NOW, null);
        assertThat(g.admits("prac-de-mueller", "de-spree", "person-anna", List.of(), NOW)).isTrue();
        assertThat(g.admits("prac-other", "de-spree", "person-anna", List.of(), NOW)).isFalse();
        assertThat(g.admits("prac-de-mueller", "de-spree", "person-bram", List.of(), NOW)).isFalse();
        assertThat(g.admits("prac-de-mueller", "de-spree", "person-anna", List.of(PSY), NOW)).isFalse();
    }

    @Test
    void breakTheGlassNeedsAReasonAndIsTimeBoxed() {
        assertThatThrownBy(() -> BreakGlassSession.open(TenantId.of("nl-amstel"), "prac-nl-jansen", "sub",
                "person-anna", "Patient/p", "  ", NOW)).hasMessageStartingWith("EHR-0651");
        BreakGlassSession s = BreakGlassSession.open(TenantId.of("nl-amstel"), "prac-nl-jansen", "sub",
                "person-anna", "Patient/p", "unconscious in the emergency room", NOW);
        assertThat(s.isActiveAt(NOW.plus(Duration.ofMinutes(59)))).isTrue();
        assertThat(s.isActiveAt(NOW.plus(Duration.ofMinutes(60)))).isFalse();
    }
}
