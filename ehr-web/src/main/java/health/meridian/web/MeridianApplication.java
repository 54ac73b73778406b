package health.meridian.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/** JSON API root. Bearer tokens (Keycloak-issued JWTs) are validated by MicroProfile JWT for the whole web app. */
@ApplicationScoped
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT", realmName = "meridian")
@DeclareRoles({"clinician", "nurse", "tenant-admin", "platform-admin", "patient", "researcher"})
public class MeridianApplication extends Application {
}
