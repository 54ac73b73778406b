package health.meridian.domain.access;

import java.time.Instant;
import java.util.Set;

/**
 * Care relationships: the persons (patients) of the care teams a practitioner is an active member of, within the
 * bound institution (row-level security limits it to the teams that institution holds).
 */
public interface CareTeamDirectory {

    Set<String> personsInCareOf(String practitionerId, Instant now);

    /**
     * Establishes the care relationship of registration: the practitioner who registers a patient at the bound
     * institution becomes (idempotently) a member of their "registered by" team, and the person joins it.
     */
    void enrolRegisteredPatient(String practitionerId, String role, String personId);
}
