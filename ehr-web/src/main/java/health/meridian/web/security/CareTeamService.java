package health.meridian.web.security;

import health.meridian.domain.access.CareTeam;
import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.CareTeamMembership;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The tenant admin's care teams: create a team, add members (practitioners, possibly of other institutions) with a
 * role and a period, add patients of the institution, end memberships and take patients off a team. Who may is
 * {@link AccessPolicy#careTeamAdminTenant}'s decision. Every use case goes through {@link AccessSeam#acting}:
 * bound, decided and audited there.
 */
@ApplicationScoped
@Transactional
public class CareTeamService {

    @Inject
    CareTeamDirectory teams;
    @Inject
    RecordRepository records;
    @Inject
    InstitutionRepository institutions;
    @Inject
    AccessSeam seam;
    @Inject
    AccessPolicy policy;
    @Inject
    CareRelationsCache careLists;

    public List<String> all() {
        admin(AuditAction.R, "care-team-list", null).done(null, null, null);
        return teams.teams();
    }

    /**
     * The institution's teams with their current and future members and their patients (audited as a read), with
     * the Patients the admin may name (issue #20, ADR 0027: through the seam, each naming audited).
     */
    public Overview overview() {
        AccessSeam.Acting acting = admin(AuditAction.R, "care-team-overview", null);
        List<CareTeam> all = teams.teamsWithMembers(Instant.now());
        java.util.Map<String, health.meridian.domain.record.StoredResource> named = acting.patientsNamed(
                all.stream().flatMap(t -> t.patients().stream()).map(p -> p.patientRef()).toList(), records::current);
        acting.done(null, null, all.size() + " teams");
        return new Overview(all, named);
    }

    /** The teams and the Patients the admin may name, by reference ({@code Patient/<id>}). */
    public record Overview(List<CareTeam> teams,
                           java.util.Map<String, health.meridian.domain.record.StoredResource> patients) {
    }

    public boolean create(String teamId, String name) {
        AccessSeam.Acting acting = admin(AuditAction.E, "care-team-create", teamId);
        if (teamId == null || !teamId.matches("^[A-Za-z0-9\\-.]{1,64}$") || name == null || name.isBlank()) {
            throw new IllegalArgumentException("EHR-0624 a care team needs an id ([A-Za-z0-9-.]) and a name");
        }
        boolean created = teams.createTeam(teamId, name);
        acting.done(teamId, null, null);
        return created;
    }

    public void addMember(String teamId, CareTeamMembership membership) {
        AccessSeam.Acting acting = admin(AuditAction.E, "care-team-member", teamId);
        requireTeam(teamId);
        institutions.find(membership.memberInstitution()).orElseThrow(() ->
                new IllegalArgumentException("EHR-0611 unknown institution " + membership.memberInstitution()));
        teams.addMember(teamId, membership);
        acting.done(teamId, null, membership.practitionerId() + " as " + membership.role());
    }

    /** Adds the person of {@code Patient/<id>} held by the admin's institution to the team. */
    public void addPatient(String teamId, String patient) {
        AccessSeam.Acting acting = admin(AuditAction.E, "care-team-patient", teamId);
        requireTeam(teamId);
        String id = patient == null ? "" : patient.replaceFirst("^Patient/", "");
        String person = personOf(acting.tenant(), id);
        teams.addPatient(teamId, person);
        acting.done(teamId, person, "Patient/" + id);
    }

    /** Ends the practitioner's membership now: from then on the team gives them no access to its patients. */
    public void removeMember(String teamId, String practitionerId) {
        AccessSeam.Acting acting = admin(AuditAction.E, "care-team-member-remove", teamId);
        requireTeam(teamId);
        if (teams.endMembership(teamId, practitionerId, Instant.now()) == 0) {
            throw new NoSuchElementException("EHR-0680 " + practitionerId + " is no current member of " + teamId);
        }
        acting.done(teamId, null, practitionerId);
    }

    /** Takes the person of {@code Patient/<id>} held by the admin's institution off the team. */
    public void removePatient(String teamId, String patient) {
        AccessSeam.Acting acting = admin(AuditAction.E, "care-team-patient-remove", teamId);
        requireTeam(teamId);
        String id = patient == null ? "" : patient.replaceFirst("^Patient/", "");
        String person = personOf(acting.tenant(), id);
        if (!teams.removePatient(teamId, person)) {
            throw new NoSuchElementException("EHR-0681 Patient/" + id + " is not on care team " + teamId);
        }
        careLists.invalidate();
        acting.done(teamId, person, "Patient/" + id);
    }

    private String personOf(TenantId tenant, String id) {
        return records.personOf(new ResourceKey(tenant, "Patient", id))
                .orElseThrow(() -> new NoSuchElementException("EHR-0654 no patient " + id + " at " + tenant));
    }

    private void requireTeam(String teamId) {
        if (!teams.exists(teamId)) {
            throw new NoSuchElementException("EHR-0625 no care team " + teamId);
        }
    }

    /** The tenant admin's use case, through the seam: who may is {@link AccessPolicy#careTeamAdminTenant}'s call. */
    private AccessSeam.Acting admin(AuditAction action, String interaction, String teamId) {
        return seam.acting(action, interaction, "CareTeam", teamId,
                caller -> AccessSeam.Bound.tenant(policy.careTeamAdminTenant(caller)));
    }
}
