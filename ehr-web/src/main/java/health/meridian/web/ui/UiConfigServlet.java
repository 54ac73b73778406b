package health.meridian.web.ui;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the browser app needs before it can sign in: the OpenID issuer (Keycloak realm URL) and its public client id.
 * Unauthenticated on purpose (the app has no token yet) and outside /api and /fhir; it discloses nothing that the
 * realm's own discovery document does not.
 */
@WebServlet(urlPatterns = "/ui-config.json")
public class UiConfigServlet extends HttpServlet {

    static final String CLIENT_ID = "meridian-web";

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    Optional<String> issuer;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (issuer.isEmpty() || issuer.get().isBlank()) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().write(Json.createObjectBuilder().add("code", "EHR-0310")
                    .add("message", "EHR-0310 MERIDIAN_OIDC_ISSUER is not configured").build().toString());
            return;
        }
        response.getWriter().write(Json.createObjectBuilder().add("issuer", issuer.get())
                .add("clientId", CLIENT_ID).build().toString());
    }
}
