package health.meridian.web.security;

import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.CareTeamDirectory.CareRow;
import health.meridian.domain.access.CareTeamDirectory.TeamMark;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * This app instance's copy of each clinician's care relations (ADR 0038): every membership of theirs in the bound
 * institution's teams, with its period, and the persons of those teams — tagged with the care-relation counter (V31)
 * they were loaded at. PostgreSQL bumps that number in the transaction of anything that can end a relation (an UPDATE,
 * DELETE or TRUNCATE of a team, a membership or a team's patients), on whichever instance or path it happens, so a
 * person the kept rows name is in care exactly while the number is unchanged and the membership runs at the
 * request's instant. Additions do not bump it: a person the rows do not name is asked of the database (one indexed
 * query for a page of hits), which sees a relation added anywhere at once. The list a search across persons is
 * confined to must also hold additions: it is used only while the teams' fingerprint (each active team with the time
 * its newest patient was added, ADR 0020, one probe per team) is the one it was loaded with, and for at most
 * {@link #LIST_MAX_AGE} (a completeness backstop: an addition committed after a later one of the same team does not
 * move the fingerprint); its hits are confirmed person by person as before. Bounded: at most {@link #MAX_ENTRIES}
 * clinicians.
 */
@ApplicationScoped
public class CareRelationsCache {

    static final int MAX_ENTRIES = 10_000;
    static final Duration LIST_MAX_AGE = Duration.ofSeconds(60);

    @Inject
    CareTeamDirectory careTeams;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int max;

    public CareRelationsCache() {
        this(MAX_ENTRIES);
    }

    CareRelationsCache(int max) {
        this.max = max;
    }

    /**
     * The care relations of {@code practitioner} at {@code institution} (the bound one) at {@code now}, for a request
     * whose binding statement read care-relation counter {@code version}: the kept rows answer for the persons they
     * name; any other person is asked of the database in this transaction.
     */
    public CareRelations relationsOf(String practitioner, String institution, long version, Instant now) {
        String key = institution + "|" + practitioner;
        Span span = at(key, practitioner, version, now).span(now);
        return new CareRelations(persons -> {
            Set<String> in = new LinkedHashSet<>();
            List<String> ask = new ArrayList<>();
            for (String p : persons) {
                if (span.persons().contains(p)) {
                    in.add(p);
                } else {
                    ask.add(p);
                }
            }
            if (!ask.isEmpty()) {
                in.addAll(careTeams.inCareOf(practitioner, ask, now));
            }
            return in;
        }, () -> searchList(key, practitioner, version, now));
    }

    /** Every person in care at {@code now}, sorted, from rows loaded at this version and this fingerprint. */
    private List<String> searchList(String key, String practitioner, long version, Instant now) {
        List<TeamMark> fingerprint = careTeams.teamsOf(practitioner, now);
        Entry kept = entries.get(key);
        if (kept != null && kept.version == version && fingerprint.equals(kept.fingerprint)
                && kept.loaded.plus(LIST_MAX_AGE).isAfter(now)) {
            return kept.span(now).sorted();
        }
        Entry loaded = new Entry(version, careTeams.careRowsOf(practitioner), fingerprint, now);
        keep(key, loaded);
        return loaded.span(now).sorted();
    }

    /** The entry of {@code key} loaded at {@code version}, else loaded now (without a fingerprint) and kept. */
    private Entry at(String key, String practitioner, long version, Instant now) {
        Entry kept = entries.get(key);
        if (kept != null && kept.version == version) {
            return kept;
        }
        Entry loaded = new Entry(version, careTeams.careRowsOf(practitioner), null, now);
        keep(key, loaded);
        return loaded;
    }

    private void keep(String key, Entry entry) {
        if (entries.size() >= max && !entries.containsKey(key)) {
            entries.values().removeIf(e -> e.version != entry.version);
            Iterator<String> any = entries.keySet().iterator();
            while (entries.size() >= max && any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        entries.put(key, entry);
    }

    /** Forgets every entry of this instance (a care relationship changed here; the counter covers the others). */
    public void invalidate() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    /** One clinician's rows, and the persons in care they give over the span of time last asked about. */
    static final class Entry {

        private final long version;
        private final List<CareRow> rows;
        private final List<TeamMark> fingerprint;
        private final Instant loaded;
        private volatile Span span;

        Entry(long version, List<CareRow> rows, List<TeamMark> fingerprint, Instant loaded) {
            this.version = version;
            this.rows = List.copyOf(rows);
            this.fingerprint = fingerprint;
            this.loaded = loaded;
        }

        /**
         * The persons in care at {@code now}. Which rows are active changes only at a membership's start or end, so
         * the persons computed for one instant hold from the latest such boundary at or before it until the next one
         * after it; a request inside that span reuses them.
         */
        Span span(Instant now) {
            Span s = span;
            if (s == null || now.isBefore(s.from) || !now.isBefore(s.until)) {
                s = Span.of(rows, now);
                span = s;
            }
            return s;
        }
    }

    private record Span(Instant from, Instant until, Set<String> persons, List<String> sorted) {

        static Span of(List<CareRow> rows, Instant now) {
            Instant from = Instant.MIN;
            Instant until = Instant.MAX;
            for (CareRow r : rows) {
                for (Instant boundary : new Instant[] {r.start(), r.end()}) {
                    if (boundary == null) {
                        continue;
                    }
                    if (boundary.isAfter(now)) {
                        until = boundary.isBefore(until) ? boundary : until;
                    } else {
                        from = boundary.isAfter(from) ? boundary : from;
                    }
                }
            }
            Set<String> persons = rows.stream().filter(r -> r.activeAt(now)).map(CareRow::person)
                    .collect(Collectors.toUnmodifiableSet());
            return new Span(from, until, persons, persons.stream().sorted().toList());
        }
    }
}
