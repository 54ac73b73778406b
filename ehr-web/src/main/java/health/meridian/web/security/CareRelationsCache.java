package health.meridian.web.security;

import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.CareTeamDirectory.TeamMark;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each practitioner's list of persons in care between requests of this app instance (ADR 0020), so a search
 * across persons does not load thousands of rows per request. An entry is reused only while its fingerprint — the
 * practitioner's active teams, each with the time its newest patient was added ({@link CareTeamDirectory#teamsOf},
 * one index probe per team) — is unchanged and it is younger than {@link #MAX_AGE}. Joining or leaving a team and a
 * patient added show at once; a patient taken off a team may linger in the list until the entry expires, which is
 * safe because every own-institution hit is confirmed person by person ({@link CareRelations#confirm}).
 */
@ApplicationScoped
public class CareRelationsCache {

    /** How long a list is reused at most (bounds what a patient taken off a team costs: hits dropped on confirm). */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 10_000;

    @Inject
    CareTeamDirectory careTeams;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(List<TeamMark> fingerprint, List<String> persons, Instant loaded) {
    }

    /** The persons in the care of the practitioner's active teams of the bound institution. */
    public List<String> personsInCareOf(String practitioner, String institution, Instant now) {
        String key = institution + "|" + practitioner;
        List<TeamMark> fingerprint = careTeams.teamsOf(practitioner, now);
        if (fingerprint.isEmpty()) {
            entries.remove(key);
            return List.of();
        }
        Entry e = entries.get(key);
        if (e != null && e.fingerprint().equals(fingerprint) && e.loaded().plus(MAX_AGE).isAfter(now)) {
            return e.persons();
        }
        List<String> persons = careTeams.personsInCareOf(practitioner, now).stream().sorted().toList();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(fingerprint, persons, now));
        return persons;
    }

    /** Forgets every list (a care relationship changed on this instance). */
    public void invalidate() {
        entries.clear();
    }
}
