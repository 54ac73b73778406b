package health.meridian.web.security;

import health.meridian.domain.access.CareTeam;
import health.meridian.domain.access.CareTeamDirectory;
import health.meridian.domain.access.CareTeamMembership;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The tenant admin's care teams: create a team, add members (practitioners, possibly of other institutions) with a
 * role and a period, add patients of the institution, end memberships and take patients off a team. Who may is
 * {@link AccessPolicy#careTeamAdminTenant}'s decision. Every change is audited (action E).
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
    TenantBinding binding;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;
    @Inject
    AccessPolicy policy;

    public List<String> all() {
        admin("care-team-list");
        return teams.teams();
    }

    /** The institution's teams with their current and future members and their patients (audited as a read). */
    public List<CareTeam> overview() {
        admin("care-team-overview");
        List<CareTeam> all = teams.teamsWithMembers(Instant.now());
        Caller caller = currentCaller.get();
        audit.accessed(AuditRecorder.event(caller, AuditAction.R, "care-team-overview", "CareTeam", null)
                .about(caller.tenant().map(TenantId::value).orElse(null), null, null));
        return all;
    }

    public boolean create(String teamId, String name) {
        admin("care-team-create");
        if (teamId == null || !teamId.matches("^[A-Za-z0-9\\-.]{1,64}$") || name == null || name.isBlank()) {
            throw new IllegalArgumentException("EHR-0624 a care team needs an id ([A-Za-z0-9-.]) and a name");
        }
        boolean created = teams.createTeam(teamId, name);
        audited("care-team-create", teamId, null, null);
        return created;
    }

    public void addMember(String teamId, CareTeamMembership membership) {
        admin("care-team-member");
        requireTeam(teamId);
        institutions.find(membership.memberInstitution()).orElseThrow(() ->
                new IllegalArgumentException("EHR-0611 unknown institution " + membership.memberInstitution()));
        teams.addMember(teamId, membership);
        audited("care-team-member", teamId, null, membership.practitionerId() + " as " + membership.role());
    }

    /** Adds the person of {@code Patient/<id>} held by the admin's institution to the team. */
    public void addPatient(String teamId, String patient) {
        TenantId tenant = admin("care-team-patient");
        requireTeam(teamId);
        String id = patient == null ? "" : patient.replaceFirst("^Patient/", "");
        String person = records.personOf(new ResourceKey(tenant, "Patient", id))
                .orElseThrow(() -> new NoSuchElementException("EHR-0654 no patient " + id + " at " + tenant));
        teams.addPatient(teamId, person);
        audited("care-team-patient", teamId, person, "Patient/" + id);
    }

    /** Ends the practitioner's membership now: from then on the team gives them no access to its patients. */
    public void removeMember(String teamId, String practitionerId) {
        admin("care-team-member-remove");
        requireTeam(teamId);
        if (teams.endMembership(teamId, practitionerId, Instant.now()) == 0) {
            throw new NoSuchElementException("EHR-0680 " + practitionerId + " is no current member of " + teamId);
        }
        audited("care-team-member-remove", teamId, null, practitionerId);
    }

    /** Takes the person of {@code Patient/<id>} held by the admin's institution off the team. */
    public void removePatient(String teamId, String patient) {
        TenantId tenant = admin("care-team-patient-remove");
        requireTeam(teamId);
        String id = patient == null ? "" : patient.replaceFirst("^Patient/", "");
        String person = records.personOf(new ResourceKey(tenant, "Patient", id))
                .orElseThrow(() -> new NoSuchElementException("EHR-0654 no patient " + id + " at " + tenant));
        if (!teams.removePatient(teamId, person)) {
            throw new NoSuchElementException("EHR-0681 Patient/" + id + " is not on care team " + teamId);
        }
        audited("care-team-patient-remove", teamId, person, "Patient/" + id);
    }

    private void requireTeam(String teamId) {
        if (!teams.exists(teamId)) {
            throw new NoSuchElementException("EHR-0625 no care team " + teamId);
        }
    }

    private TenantId admin(String interaction) {
        Caller caller = currentCaller.get();
        TenantId tenant;
        try {
            tenant = policy.careTeamAdminTenant(caller);
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.E, interaction, "CareTeam", null)
                    .refused(e.getMessage()));
            throw e;
        }
        binding.bind(tenant);
        return tenant;
    }

    private void audited(String interaction, String teamId, String person, String detail) {
        Caller caller = currentCaller.get();
        audit.accessed(AuditRecorder.event(caller, AuditAction.E, interaction, "CareTeam", teamId)
                .about(caller.tenant().map(TenantId::value).orElse(null), person, null).withDetail(detail));
    }
}
