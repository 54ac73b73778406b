package health.meridian.web.api;

import health.meridian.domain.access.CareTeam;
import health.meridian.domain.access.CareTeamMembership;
import health.meridian.domain.access.PractitionerDirectory;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.CareTeamService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Care teams of the tenant admin's institution: {@code PUT /api/care-teams/{id} {name}},
 * {@code POST /api/care-teams/{id}/members {practitioner, institution, role, start, end}},
 * {@code POST /api/care-teams/{id}/patients {patient}}, {@code GET /api/care-teams},
 * {@code GET /api/care-teams/overview} (teams with members and patients),
 * {@code DELETE /api/care-teams/{id}/members/{practitioner}} (ends the membership now) and
 * {@code DELETE /api/care-teams/{id}/patients/{patient id}}.
 */
@Path("care-teams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class CareTeamResource {

    @Inject
    CareTeamService careTeams;
    @Inject
    PractitionerDirectory directory;

    public record TeamForm(String name) {
    }

    public record MemberForm(String practitioner, String institution, String role, String start, String end) {
    }

    public record PatientForm(String patient) {
    }

    /** {@code name}: the practitioner's name from the directory (issue #20: names, not ids), null if unknown. */
    public record MemberView(String practitioner, String institution, String role, String start, String end,
                             String name) {
    }

    /** {@code name}: the patient's name when the admin's institution holds them (ADR 0027), else null. */
    public record PatientView(String person, String patient, String name) {
    }

    public record CareTeamView(String id, String name, List<MemberView> members, List<PatientView> patients) {
        static CareTeamView of(CareTeam t, java.util.function.Function<String, String> names,
                               java.util.function.Function<String, String> patientNames) {
            return new CareTeamView(t.id(), t.name(), t.members().stream().map(m -> new MemberView(
                    m.practitionerId(), m.memberInstitution().value(), m.role(), m.start().toString(),
                    m.end() == null ? null : m.end().toString(), names.apply(m.practitionerId()))).toList(),
                    t.patients().stream().map(p -> new PatientView(p.personId(), p.patientRef(),
                            p.patientRef() == null ? null : patientNames.apply(p.patientRef()))).toList());
        }
    }

    @GET
    public List<String> list() {
        return careTeams.all();
    }

    /** The institution's teams with current and future members and patients (the admin console's list). */
    @GET
    @Path("overview")
    public List<CareTeamView> overview() {
        CareTeamService.Overview overview = careTeams.overview();
        return overview.teams().stream().map(t -> CareTeamView.of(t, this::practitionerName, ref -> {
            StoredResource p = overview.patients().get(ref);
            return p == null ? null : TimelineViews.patientView(p.key().id(), p.json(), p.key().tenant().value()).name();
        })).toList();
    }

    private String practitionerName(String practitioner) {
        return directory.find(practitioner).map(PractitionerDirectory.Entry::displayName)
                .orElse(null);
    }

    @PUT
    @Path("{id}")
    public Response create(@PathParam("id") String id, TeamForm form) {
        boolean created = careTeams.create(id, form == null ? null : form.name());
        return Response.status(created ? 201 : 200).build();
    }

    @POST
    @Path("{id}/members")
    public Response addMember(@PathParam("id") String id, MemberForm f) {
        if (f == null || f.institution() == null) {
            throw new IllegalArgumentException("EHR-0621 a member belongs to an institution");
        }
        Instant start = f.start() == null ? Instant.now() : instant("start", f.start());
        careTeams.addMember(id, new CareTeamMembership(f.practitioner(), TenantId.of(f.institution()), f.role(),
                start, f.end() == null ? null : instant("end", f.end())));
        return Response.status(201).build();
    }

    @POST
    @Path("{id}/patients")
    public Response addPatient(@PathParam("id") String id, PatientForm f) {
        careTeams.addPatient(id, f == null ? null : f.patient());
        return Response.status(201).build();
    }

    @DELETE
    @Path("{id}/members/{practitioner}")
    public Response removeMember(@PathParam("id") String id, @PathParam("practitioner") String practitioner) {
        careTeams.removeMember(id, practitioner);
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}/patients/{patient}")
    public Response removePatient(@PathParam("id") String id, @PathParam("patient") String patient) {
        careTeams.removePatient(id, patient);
        return Response.noContent().build();
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("EHR-0613 " + field + " must be an ISO-8601 instant: " + value);
        }
    }
}
