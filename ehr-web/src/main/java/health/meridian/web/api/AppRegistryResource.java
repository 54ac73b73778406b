package health.meridian.web.api;

import health.meridian.domain.apps.SmartApp;
import health.meridian.web.apps.AppRegistryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The app registry (ADR 0031): {@code GET /api/admin/apps} (the institution's apps), {@code POST /api/admin/apps}
 * {@code {clientId, name, kind, redirectUris, scopes, jwks?}} (201, a confidential app's {@code secret} once) and
 * {@code POST /api/admin/apps/{clientId}/revoke}.
 */
@Path("admin/apps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class AppRegistryResource {

    @Inject
    AppRegistryService apps;

    public record AppView(String clientId, String name, String kind, List<String> redirectUris, List<String> scopes,
                          boolean hasKeys, String registeredAt, String revokedAt) {
        static AppView of(SmartApp a) {
            return new AppView(a.clientId(), a.name(), a.kind().text(), a.redirectUris(), a.scopes(),
                    a.jwks() != null, a.registeredAt().toString(), a.revokedAt().map(Object::toString).orElse(null));
        }
    }

    public record RegisteredView(AppView app, String secret) {
    }

    public record RevokedView(AppView app, boolean clientDisabled) {
    }

    @GET
    public List<AppView> list() {
        return apps.list().stream().map(AppView::of).toList();
    }

    @POST
    public Response register(AppRegistryService.Registration form) {
        AppRegistryService.Registered r = apps.register(form);
        return Response.status(201).entity(new RegisteredView(AppView.of(r.app()), r.secret())).build();
    }

    @POST
    @Path("{clientId}/revoke")
    public RevokedView revoke(@PathParam("clientId") String clientId) {
        AppRegistryService.Revoked r = apps.revoke(clientId);
        return new RevokedView(AppView.of(r.app()), r.clientDisabled());
    }
}
