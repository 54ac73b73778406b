package health.meridian.domain.access;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Care relationships: the persons (patients) of the care teams a practitioner is an active member of, within the
 * bound institution (row-level security limits it to the teams that institution holds); and the tenant admin's
 * operations on the teams of the bound institution.
 */
public interface CareTeamDirectory {

    Set<String> personsInCareOf(String practitionerId, Instant now);

    /**
     * Which of {@code persons} are in the care of the practitioner's active teams (of the bound institution): one
     * indexed lookup per team and person, whatever the number of persons the teams hold.
     */
    Set<String> inCareOf(String practitionerId, java.util.Collection<String> persons, Instant now);

    /**
     * Every membership of the practitioner (of the bound institution's teams, whatever its period) with each person
     * of that team: what {@link #personsInCareOf} answers at any instant, judged by the caller at its own instant
     * ({@link CareRow#activeAt}). One query; kept by the app only at an exact version of the care relations (V31).
     */
    java.util.List<CareRow> careRowsOf(String practitionerId);

    /** One person of one team the practitioner is (or was, or will be) a member of, with that membership's period. */
    record CareRow(String person, Instant start, Instant end) {

        /** Whether the membership runs at {@code now} (its start included, its end excluded). */
        public boolean activeAt(Instant now) {
            return !start.isAfter(now) && (end == null || end.isAfter(now));
        }
    }

    /**
     * The practitioner's active teams (of the bound institution), each with the time its newest patient was added:
     * a fingerprint of {@link #personsInCareOf} that changes when a team is joined or left or a patient is added
     * (one index probe per team).
     */
    java.util.List<TeamMark> teamsOf(String practitionerId, Instant now);

    /** A team the practitioner is an active member of, and when its newest patient was added (null: none yet). */
    record TeamMark(String tenant, String team, Instant lastAdded) {
    }

    /**
     * Establishes the care relationship of registration: the practitioner who registers a patient at the bound
     * institution becomes (idempotently) a member of their "registered by" team, and the person joins it. The team
     * is named after the practitioner's {@code name} when it is created (their id when the token carries no name).
     */
    void enrolRegisteredPatient(String practitionerId, String name, String role, String personId);

    /** Creates a team held by the bound institution; false if the id is taken. */
    boolean createTeam(String teamId, String name);

    boolean exists(String teamId);

    void addMember(String teamId, CareTeamMembership membership);

    void addPatient(String teamId, String personId);

    /** Team ids of the bound institution. */
    List<String> teams();

    /** The teams of the bound institution with their current and future members and their patients. */
    List<CareTeam> teamsWithMembers(Instant now);

    /**
     * Ends the practitioner's membership of the team at {@code now} (a running membership keeps its history with
     * an end; one that has not begun yet is dropped). Returns how many memberships were ended or dropped.
     */
    int endMembership(String teamId, String practitionerId, Instant now);

    /** Takes the person off the team's patients; false if they were not on it. */
    boolean removePatient(String teamId, String personId);
}
