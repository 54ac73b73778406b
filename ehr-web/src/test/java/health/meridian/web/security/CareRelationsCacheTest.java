package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.CareTeamDirectory.CareRow;
import health.meridian.domain.access.CareTeamDirectory.TeamMark;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The care relations an instance keeps across requests (ADR 0038): exact by the care-relation counter for the persons
 * they name, judged at each request's instant; anyone else asked of the directory; the search list also bound to the
 * teams' fingerprint.
 */
class CareRelationsCacheTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** The database as the cache sees it: the rows, and what each query was asked. */
    private final List<CareRow> rows = new ArrayList<>();
    private List<TeamMark> fingerprint = List.of(new TeamMark("nl-amstel", "ward", T0));
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger fingerprints = new AtomicInteger();

    private CareRelationsCache cache() {
        return cache(CareRelationsCache.MAX_ENTRIES);
    }

    @SuppressWarnings("unchecked")
    private CareRelationsCache cache(int max) {
        CareRelationsCache cache = new CareRelationsCache(max);
        cache.careTeams = (CareTeamDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CareTeamDirectory.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "careRowsOf" -> {
                        loads.incrementAndGet();
                        yield List.copyOf(rows);
                    }
                    case "inCareOf" -> {
                        lookups.incrementAndGet();
                        Set<String> in = new HashSet<>();
                        Instant now = (Instant) args[2];
                        for (String p : (Collection<String>) args[1]) {
                            if (rows.stream().anyMatch(r -> r.person().equals(p) && r.activeAt(now))) {
                                in.add(p);
                            }
                        }
                        yield in;
                    }
                    case "teamsOf" -> {
                        fingerprints.incrementAndGet();
                        yield fingerprint;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return cache;
    }

    private static CareRow row(String person, Instant start, Instant end) {
        return new CareRow(person, start, end);
    }

    @Test
    void thePersonsTheKeptRowsNameAreAnsweredInMemoryAtTheSameVersion() {
        rows.add(row("anna", T0.minusSeconds(60), null));
        CareRelationsCache cache = cache();
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0).covers("anna")).isTrue();
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0.plusSeconds(1)).covers("anna")).isTrue();
        assertThat(loads).as("one load at version 7").hasValue(1);
        assertThat(lookups).as("no lookup for a person the rows name").hasValue(0);
    }

    @Test
    void aRemovalMovesTheCounterAndTheNextRequestLoadsAgain() {
        rows.add(row("anna", T0.minusSeconds(60), null));
        CareRelationsCache cache = cache();
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0).covers("anna")).isTrue();
        rows.clear(); // taken off the team: the trigger bumped the counter to 8
        assertThat(cache.relationsOf("jansen", "nl-amstel", 8, T0).covers("anna")).isFalse();
        assertThat(loads).hasValue(2);
    }

    @Test
    void anAdditionCountsAtOnceThroughTheLookupWithoutAnyBump() {
        CareRelationsCache cache = cache();
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0).covers("bert")).isFalse();
        rows.add(row("bert", T0.minusSeconds(1), null)); // put on the team: INSERTs do not bump
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0).covers("bert")).as("asked of the database")
                .isTrue();
        assertThat(loads).as("nothing reloaded").hasValue(1);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void membershipsAreJudgedAtEachRequestsInstant() {
        Instant end = T0.plus(Duration.ofSeconds(20));
        Instant later = T0.plus(Duration.ofSeconds(40));
        rows.addAll(List.of(row("anna", T0.minusSeconds(60), end), row("bert", later, null),
                row("cees", T0.minusSeconds(60), null)));
        CareRelationsCache cache = cache();
        CareRelations now = cache.relationsOf("jansen", "nl-amstel", 3, T0);
        assertThat(now.confirm(List.of("anna", "bert", "cees"))).containsExactlyInAnyOrder("anna", "cees");
        assertThat(now.searchPersons()).containsExactly("anna", "cees");

        CareRelations afterEnd = cache.relationsOf("jansen", "nl-amstel", 3, end);
        assertThat(afterEnd.covers("anna")).as("her membership's end excluded").isFalse();
        assertThat(afterEnd.searchPersons()).containsExactly("cees");
        assertThat(cache.relationsOf("jansen", "nl-amstel", 3, later.plusSeconds(1)).searchPersons())
                .containsExactly("bert", "cees");
        assertThat(loads).as("the first request's load and the list's (with its fingerprint); judged again since,"
                + " never loaded again").hasValue(2);
    }

    @Test
    void theSearchListIsLoadedAgainWhenTheFingerprintMovesOrItIsOld() {
        rows.add(row("anna", T0.minusSeconds(60), null));
        CareRelationsCache cache = cache();
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0).searchPersons()).containsExactly("anna");
        int before = loads.get();
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0.plusSeconds(1)).searchPersons())
                .containsExactly("anna");
        assertThat(loads).as("same fingerprint: the list is reused").hasValue(before);

        rows.add(row("bert", T0.minusSeconds(1), null));
        fingerprint = List.of(new TeamMark("nl-amstel", "ward", T0.plusSeconds(2)));
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, T0.plusSeconds(3)).searchPersons())
                .as("a patient added: the fingerprint moved").containsExactly("anna", "bert");

        rows.add(row("cees", T0.minusSeconds(1), null)); // committed late: the fingerprint did not move
        Instant old = T0.plusSeconds(3).plus(CareRelationsCache.LIST_MAX_AGE);
        assertThat(cache.relationsOf("jansen", "nl-amstel", 7, old).searchPersons()).as("the backstop")
                .containsExactly("anna", "bert", "cees");
    }

    @Test
    void anotherClinicianOrInstitutionIsAnotherEntryAndTheCacheIsBounded() {
        rows.add(row("anna", T0.minusSeconds(60), null));
        CareRelationsCache cache = cache(3);
        assertThat(cache.relationsOf("jansen", "nl-amstel", 1, T0).covers("anna")).isTrue();
        rows.clear();
        assertThat(cache.relationsOf("jansen", "de-charite", 1, T0).covers("anna")).isFalse();
        for (int i = 0; i < 10; i++) {
            cache.relationsOf("p" + i, "nl-amstel", 1, T0);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        cache.invalidate();
        assertThat(cache.size()).isZero();
    }
}
