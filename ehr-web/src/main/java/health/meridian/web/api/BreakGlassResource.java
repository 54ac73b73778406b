package health.meridian.web.api;

import health.meridian.domain.access.BreakGlassSession;
import health.meridian.domain.access.PractitionerDirectory;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.BreakGlassService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Break-the-glass: {@code POST /api/break-glass {patient, reason}} (clinician), {@code GET /api/break-glass} and
 * {@code POST /api/break-glass/{id}/review}, {@code GET /api/break-glass/{id}/reads} (tenant admin).
 */
@Path("break-glass")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class BreakGlassResource {

    @Inject
    BreakGlassService breakGlass;
    @Inject
    PractitionerDirectory directory;

    public record BreakGlassForm(String patient, String reason) {
    }

    /** {@code practitionerName}: the clinician's name from the directory (issue #20: names, not ids). */
    /** {@code patientName}: the patient's name when the admin's institution holds them (ADR 0027), else null. */
    /** {@code reviewedByName}: the reviewer's name (staff_name by token subject, issue #20), else null. */
    public record SessionView(String id, String practitioner, String patient, String reason, String started,
                              String expires, String reviewedBy, String reviewed, String practitionerName,
                              String patientName, String reviewedByName) {
        static SessionView of(BreakGlassSession s) {
            return of(s, null, null, null);
        }

        static SessionView of(BreakGlassSession s, String practitionerName, String patientName,
                              String reviewedByName) {
            return new SessionView(s.id(), s.practitionerId(), s.patientRef(), s.reason(), s.startedAt().toString(),
                    s.expiresAt().toString(), s.reviewedBy().orElse(null),
                    s.reviewedAt().map(Instant::toString).orElse(null), practitionerName, patientName,
                    reviewedByName);
        }
    }

    @POST
    public Response open(BreakGlassForm form) {
        BreakGlassForm f = form == null ? new BreakGlassForm(null, null) : form;
        return Response.status(201).entity(SessionView.of(breakGlass.open(f.patient(), f.reason()))).build();
    }

    /**
     * {@code GET /api/break-glass/preview?patient=<id>}: whom a session would open — name, birth date, sex of the
     * patient registered at the caller's institution — asked before the reason (issue #20). 404 EHR-0658 alike for
     * a patient that does not exist and one held only at another institution.
     */
    @GET
    @Path("preview")
    public TimelineViews.PatientView preview(@QueryParam("patient") String patient) {
        StoredResource p = breakGlass.preview(patient)
                .orElseThrow(() -> new NoSuchElementException(AccessPolicy.NOT_REGISTERED_HERE));
        return TimelineViews.patientView(p.key().id(), p.json(), p.key().tenant().value());
    }

    @GET
    public List<SessionView> forReview() {
        BreakGlassService.ForReview review = breakGlass.forReview();
        return review.sessions().stream().map(s -> SessionView.of(s, directory.find(s.practitionerId())
                .map(PractitionerDirectory.Entry::displayName).orElse(null), patientName(review, s),
                review.reviewerName(s).orElse(null))).toList();
    }

    private static String patientName(BreakGlassService.ForReview review, BreakGlassSession s) {
        StoredResource p = review.patients().get(s.patientRef());
        return p == null ? null : TimelineViews.patientView(p.key().id(), p.json(), p.key().tenant().value()).name();
    }

    /** What the session's practitioner read about the patient while it ran (from the audit trail). */
    @GET
    @Path("{id}/reads")
    public List<AuditResource.EntryView> readsDuring(@PathParam("id") String id) {
        return AuditResource.EntryView.of(breakGlass.readsDuring(id));
    }

    @POST
    @Path("{id}/review")
    public SessionView review(@PathParam("id") String id) {
        return SessionView.of(breakGlass.review(id));
    }
}
