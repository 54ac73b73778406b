package health.meridian.domain.access;

import java.util.List;

/**
 * A care team of the bound institution as the tenant admin sees it: its current and future memberships (ended
 * ones are history, kept in the table but not listed) and the patients it cares for.
 */
public record CareTeam(String id, String name, List<CareTeamMembership> members, List<Patient> patients) {

    public CareTeam {
        members = List.copyOf(members);
        patients = List.copyOf(patients);
    }

    /** A person cared for by the team, with the institution's own Patient record of them if there is one. */
    public record Patient(String personId, String patientRef) {
    }
}
