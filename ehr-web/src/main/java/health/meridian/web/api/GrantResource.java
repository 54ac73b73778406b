package health.meridian.web.api;

import health.meridian.domain.access.AccessGrant;
import health.meridian.web.security.GrantService;
import health.meridian.web.security.GrantService.GrantRequest;
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
import java.util.Set;

/** A patient's access grants: {@code POST /api/grants}, {@code GET /api/grants}, {@code DELETE /api/grants/{id}}. */
@Path("grants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class GrantResource {

    @Inject
    GrantService grants;

    /** The JSON body: exactly one of practitioner/institution; times as ISO-8601 instants. */
    public record GrantForm(String practitioner, String institution, String scope, Set<String> categories,
                            String purpose, String start, String end, Boolean confirmCrossBorder) {
    }

    /**
     * {@code crossBorder}: the grantee works in another country than the patient's own institution;
     * {@code granteeInstitutionName}: where a practitioner grantee works (an institution grantee's own name).
     */
    public record GrantView(String id, String practitioner, String institution, String scope,
                            Set<String> categories, String purpose, String start, String end, String revoked,
                            boolean active, String granteeName, String granteeCountry, boolean crossBorder,
                            String granteeInstitutionName) {
        static GrantView of(AccessGrant g) {
            return of(new GrantService.Listed(g, null, null, false, null));
        }

        static GrantView of(GrantService.Listed l) {
            AccessGrant g = l.grant();
            return new GrantView(g.id(), g.grantee().practitionerId().orElse(null),
                    g.grantee().institution().map(Object::toString).orElse(null), g.scope().kind(),
                    g.scope().categories(), g.purpose(), g.startsAt().toString(),
                    g.endsAt().map(Instant::toString).orElse(null),
                    g.revokedAt().map(Instant::toString).orElse(null), g.isActiveAt(Instant.now()),
                    l.granteeName(), l.granteeCountry(), l.crossBorder(), l.granteeInstitutionName());
        }
    }

    @POST
    public Response create(GrantForm form) {
        if (form == null) {
            throw new IllegalArgumentException("EHR-0601 a grant needs a grantee: a practitioner or an institution");
        }
        return Response.status(201).entity(GrantView.of(grants.create(request(form)))).build();
    }

    @GET
    public List<GrantView> list() {
        return grants.mineListed().stream().map(GrantView::of).toList();
    }

    /** Changes a grant: the old one is revoked and its replacement (the answer) starts, in one transaction. */
    @PUT
    @Path("{id}")
    public GrantView change(@PathParam("id") String id, GrantForm form) {
        if (form == null) {
            throw new IllegalArgumentException("EHR-0601 a grant needs a grantee: a practitioner or an institution");
        }
        return GrantView.of(grants.change(id, request(form)));
    }

    private static GrantRequest request(GrantForm form) {
        return new GrantRequest(form.practitioner(), form.institution(), form.scope(), form.categories(),
                form.purpose(), instant("start", form.start()), instant("end", form.end()),
                Boolean.TRUE.equals(form.confirmCrossBorder()));
    }

    @DELETE
    @Path("{id}")
    public GrantView revoke(@PathParam("id") String id) {
        return GrantView.of(grants.revoke(id));
    }

    private static Instant instant(String field, String value) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("EHR-0613 " + field + " must be an ISO-8601 instant: " + value);
        }
    }
}
