package health.meridian.web.api;

import health.meridian.domain.identity.UserAccount;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.identity.UserAdminService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import health.meridian.domain.identity.UserPage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * User administration: {@code GET /api/admin/users?q=&institution=&first=} (pages of 50: {@code {users, next}}),
 * {@code POST /api/admin/users}
 * {@code {username, firstName, lastName, email, role, password?, institution?}}, {@code GET /api/admin/users/{id}},
 * {@code PUT .../{id}/role {role}}, {@code PUT .../{id}/enabled {enabled}}, {@code PUT .../{id}/password {password}}.
 * A tenant admin's institution is their own (naming another is refused); a platform admin names one. A password is
 * always temporary (changed at first sign-in); without one the account has no credential and nothing is sent.
 */
@Path("admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class UserAdminResource {

    @Inject
    UserAdminService users;

    public record UserView(String id, String username, String firstName, String lastName, String email,
                           String institution, String role, boolean enabled, String practitionerId) {
        static UserView of(UserAccount a) {
            return new UserView(a.id(), a.username(), a.firstName(), a.lastName(), a.email(),
                    a.institution().orElse(null), a.staffRole().orElse(null), a.enabled(),
                    a.practitionerId().orElse(null));
        }
    }

    /** {@code credential}: {@code temporary-password} (to change at first sign-in) or {@code none}. */
    public record CreatedView(UserView user, String credential) {
    }

    public record UserForm(String username, String firstName, String lastName, String email, String role,
                           String password, String institution) {
    }

    public record RoleForm(String role) {
    }

    public record EnabledForm(Boolean enabled) {
    }

    public record PasswordForm(String password) {
    }

    /** A page of accounts; {@code next} (null at the end) is the {@code first} of the following page. */
    public record UserList(List<UserView> users, Integer next) {
    }

    @GET
    public UserList list(@QueryParam("q") String q, @QueryParam("institution") String institution,
                         @QueryParam("first") Integer first) {
        UserPage page = users.list(tenant(institution), q, first == null ? 0 : first);
        return new UserList(page.users().stream().map(UserView::of).toList(), page.next());
    }

    @POST
    public Response create(UserForm f) {
        if (f == null) {
            throw new IllegalArgumentException("EHR-0910 a body with username, names, e-mail and role is required");
        }
        UserAdminService.Created c = users.create(f.username(), f.firstName(), f.lastName(), f.email(), f.role(),
                tenant(f.institution()), Optional.ofNullable(f.password()).filter(p -> !p.isEmpty()));
        return Response.status(201).entity(new CreatedView(UserView.of(c.account()),
                c.temporaryPassword() ? "temporary-password" : "none")).build();
    }

    @GET
    @Path("{id}")
    public UserView one(@PathParam("id") String id) {
        return UserView.of(users.find(id));
    }

    @PUT
    @Path("{id}/role")
    public UserView role(@PathParam("id") String id, RoleForm f) {
        return UserView.of(users.changeRole(id, f == null ? null : f.role()));
    }

    @PUT
    @Path("{id}/enabled")
    public UserView enabled(@PathParam("id") String id, EnabledForm f) {
        if (f == null || f.enabled() == null) {
            throw new IllegalArgumentException("EHR-0915 say {\"enabled\": true} or {\"enabled\": false}");
        }
        return UserView.of(users.setEnabled(id, f.enabled()));
    }

    @PUT
    @Path("{id}/password")
    public Response password(@PathParam("id") String id, PasswordForm f) {
        users.setTemporaryPassword(id, f == null ? null : f.password());
        return Response.noContent().build();
    }

    private static Optional<TenantId> tenant(String institution) {
        return institution == null || institution.isBlank() ? Optional.empty() : Optional.of(TenantId.of(institution));
    }
}
