package health.meridian.web.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Keycloak service account through which Meridian administers its realm ({@code meridian-user-admin}, secret
 * {@code MERIDIAN_USER_ADMIN_SECRET}): user administration ({@link KeycloakUserDirectory}) and app registration
 * ({@link KeycloakAppClients}) share it and its admin API client (one token, refreshed by the client).
 */
@ApplicationScoped
public class UserAdminAccount {

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    String issuer;
    @Inject
    @ConfigProperty(name = "meridian.user-admin.client-id", defaultValue = "meridian-user-admin")
    String clientId;
    @Inject
    @ConfigProperty(name = "meridian.user-admin.secret")
    Optional<String> secret;

    private KeycloakAdminClient client;

    public boolean configured() {
        return secret.filter(s -> !s.isBlank()).isPresent();
    }

    /** The admin API client; {@code EHR-0900} naming {@code what} when the account is not configured. */
    public synchronized KeycloakAdminClient admin(String what) {
        if (!configured()) {
            throw new UserDirectoryUnavailableException("EHR-0900 " + what + " is not configured"
                    + " (MERIDIAN_USER_ADMIN_SECRET)");
        }
        if (client == null) {
            client = new KeycloakAdminClient(issuer, clientId, secret.get());
        }
        return client;
    }
}
