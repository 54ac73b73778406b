package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.BreakGlassSession;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.share.ShareCodeRepository.Redeemed;
import health.meridian.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The access facts an instance keeps across requests (ADR 0035): exact by version, judged at each request's now. */
class AccessFactsCacheTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final AccessFactsCache.Key JANSEN = new AccessFactsCache.Key("prac-nl-jansen", "nl-amstel");

    private final AtomicInteger loads = new AtomicInteger();

    private AccessFactRows loaded(String person) {
        loads.incrementAndGet();
        return AccessFactRows.of(List.of(), List.of(session(person, T0)), List.of());
    }

    private static BreakGlassSession session(String person, Instant started) {
        return BreakGlassSession.open(TenantId.of("nl-amstel"), "prac-nl-jansen", "sub", person, "Patient/p",
                "Unconscious in the emergency room", started);
    }

    private static AccessGrant grant(String person, Instant start, Instant end) {
        return AccessGrant.grant(person, Grantee.practitioner("prac-nl-jansen"), new GrantScope("all", Set.of()),
                "TREAT", start, end);
    }

    private static Set<String> glass(AccessFactRows rows, Instant now) {
        return rows.at(now, CareRelations.none()).breakGlassPersons();
    }

    @Test
    void reusedAtTheSameVersionAndLoadedAgainWhenTheCounterMoved() {
        AccessFactsCache cache = new AccessFactsCache();
        assertThat(glass(cache.at(JANSEN, 7, () -> loaded("anna")), T0)).containsExactly("anna");
        assertThat(glass(cache.at(JANSEN, 7, () -> loaded("bert")), T0)).as("same version: kept").containsExactly("anna");
        assertThat(loads).hasValue(1);
        assertThat(glass(cache.at(JANSEN, 8, () -> loaded("bert")), T0)).as("counter moved").containsExactly("bert");
        assertThat(glass(cache.at(JANSEN, 8, () -> loaded("carl")), T0)).containsExactly("bert");
        assertThat(loads).hasValue(2);
    }

    @Test
    void anOlderOrOtherNumberIsNeverServedFromANewerEntry() {
        AccessFactsCache cache = new AccessFactsCache();
        cache.at(JANSEN, 9, () -> loaded("anna"));
        assertThat(glass(cache.at(JANSEN, 3, () -> loaded("bert")), T0)).containsExactly("bert");
    }

    @Test
    void keysIsolatePractitionersAndInstitutions() {
        AccessFactsCache cache = new AccessFactsCache();
        cache.at(JANSEN, 1, () -> loaded("anna"));
        assertThat(glass(cache.at(new AccessFactsCache.Key("prac-nl-devries", "nl-amstel"), 1, () -> loaded("bert")),
                T0)).as("another practitioner").containsExactly("bert");
        assertThat(glass(cache.at(new AccessFactsCache.Key("prac-nl-jansen", "de-spree"), 1, () -> loaded("carl")),
                T0)).as("the same practitioner at another institution").containsExactly("carl");
        assertThat(glass(cache.at(new AccessFactsCache.Key(null, "nl-amstel"), 1, () -> loaded("dora")), T0))
                .as("the institution without a practitioner").containsExactly("dora");
        assertThat(glass(cache.at(JANSEN, 1, () -> loaded("erik")), T0)).containsExactly("anna");
    }

    @Test
    void boundedInSize() {
        AccessFactsCache cache = new AccessFactsCache(3);
        for (int i = 0; i < 10; i++) {
            cache.at(new AccessFactsCache.Key("prac-" + i, "nl-amstel"), 1, () -> loaded("anna"));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        cache.at(new AccessFactsCache.Key("prac-new", "nl-amstel"), 2, () -> loaded("anna"));
        assertThat(cache.size()).as("entries of another number go first").isEqualTo(1);
    }

    @Test
    void aKeptBreakGlassSessionCountsOnlyUntilItExpires() {
        AccessFactRows rows = AccessFactRows.of(List.of(), List.of(session("anna", T0)), List.of());
        Instant end = T0.plus(BreakGlassSession.DEFAULT_DURATION);
        assertThat(glass(rows, end.minusMillis(1))).containsExactly("anna");
        assertThat(glass(rows, end)).as("expired although kept").isEmpty();
        assertThat(glass(rows, T0.minusMillis(1))).as("before it started").isEmpty();
    }

    /** Opened by another instance whose clock is ahead: kept before it starts here, counted once it has. */
    @Test
    void aKeptSessionThatStartsAfterItWasLoadedCountsOnceItStarts() {
        AccessFactRows rows = AccessFactRows.of(List.of(), List.of(session("anna", T0.plusMillis(50))), List.of());
        assertThat(glass(rows, T0)).isEmpty();
        assertThat(glass(rows, T0.plusMillis(50))).containsExactly("anna");
    }

    @Test
    void aKeptShareCodeCountsOnlyUntilItsAccessEnds() {
        Instant until = T0.plus(Duration.ofHours(4));
        AccessFactRows rows = AccessFactRows.of(List.of(), List.of(), List.of(new Redeemed("anna", until)));
        assertThat(rows.at(until.minusSeconds(1), CareRelations.none()).sharedSummaryPersons()).containsExactly("anna");
        assertThat(rows.at(until, CareRelations.none()).sharedSummaryPersons()).as("access over although kept")
                .isEmpty();
    }

    @Test
    void aKeptGrantCountsOnlyWithinItsPeriod() {
        Instant end = T0.plus(Duration.ofDays(1));
        AccessFactRows rows = AccessFactRows.of(List.of(grant("anna", T0, end), grant("bert", T0.plus(
                Duration.ofHours(1)), null)), List.of(), List.of());
        assertThat(rows.at(T0, CareRelations.none()).grants()).extracting(AccessGrant::personId)
                .containsExactly("anna");
        assertThat(rows.at(end.minusSeconds(1), CareRelations.none()).grants()).extracting(AccessGrant::personId)
                .containsExactlyInAnyOrder("anna", "bert");
        assertThat(rows.at(end, CareRelations.none()).grants()).as("ended although kept")
                .extracting(AccessGrant::personId).containsExactly("bert");
    }

    @Test
    void keepsCopiesNotTheGrantsItWasGiven() {
        AccessGrant managed = grant("anna", T0, null);
        AccessFactRows rows = AccessFactRows.of(List.of(managed), List.of(), List.of());
        managed.revoke(T0.plusSeconds(1)); // e.g. revoked in a transaction that then rolls back
        assertThat(rows.at(T0.plusSeconds(2), CareRelations.none()).grants()).extracting(AccessGrant::personId)
                .containsExactly("anna");
    }
}
