package health.meridian.web.api;

import health.meridian.domain.share.ShareCode;
import health.meridian.web.portal.ShareCodeService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Share codes: {@code POST /api/share-codes {hours}} (patient; the code is in the answer, once),
 * {@code GET /api/share-codes}, {@code DELETE /api/share-codes/{id}} (withdraw), and
 * {@code POST /api/share-codes/redeem {code}} (clinician or nurse of any institution; then
 * {@code GET /fhir/Patient/{patient}/$summary} until {@code accessUntil}).
 */
@Path("share-codes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class ShareCodeResource {

    @Inject
    ShareCodeService codes;
    @Context
    HttpServletRequest request;

    public record IssueForm(Integer hours) {
    }

    public record RedeemForm(String code) {
    }

    public record ShareCodeView(String id, String code, String created, String expires, String status,
                                String redeemedBy, String redeemedAt, String redeemedInstitution) {
        static ShareCodeView of(ShareCode c, String secret) {
            Instant now = Instant.now();
            String status = c.revokedAt().isPresent() ? "withdrawn" : c.redeemedAt().isPresent() ? "used"
                    : c.expiresAt().isAfter(now) ? "valid" : "expired";
            return new ShareCodeView(c.id(), secret, c.createdAt().toString(), c.expiresAt().toString(), status,
                    c.redeemedUser().orElse(null), c.redeemedAt().map(Instant::toString).orElse(null),
                    c.redeemedTenant().orElse(null));
        }
    }

    public record Redeemed(String patient, String institution, String accessUntil, String summary) {
    }

    @POST
    public Response issue(IssueForm form) {
        Duration validity = form == null || form.hours() == null ? null : Duration.ofHours(form.hours());
        ShareCodeService.Issued issued = codes.issue(validity);
        return Response.status(201).entity(ShareCodeView.of(issued.code(), issued.secret())).build();
    }

    @GET
    public List<ShareCodeView> mine() {
        return codes.mine().stream().map(c -> ShareCodeView.of(c, null)).toList();
    }

    @DELETE
    @Path("{id}")
    public ShareCodeView withdraw(@PathParam("id") String id) {
        return ShareCodeView.of(codes.withdraw(id), null);
    }

    @POST
    @Path("redeem")
    public Redeemed redeem(RedeemForm form) {
        ShareCode c = codes.redeem(form == null ? null : form.code(), request.getRemoteAddr());
        return new Redeemed("Patient/" + c.patientId(), c.patientTenant(), c.accessUntil().orElseThrow().toString(),
                "fhir/Patient/" + c.patientId() + "/$summary");
    }
}
