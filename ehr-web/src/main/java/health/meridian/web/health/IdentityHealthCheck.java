package health.meridian.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Keycloak (the identity provider) publishes the realm's OpenID configuration. */
@Readiness
@ApplicationScoped
public class IdentityHealthCheck implements HealthCheck, DetailedCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Inject
    @ConfigProperty(name = "meridian.oidc.issuer")
    String issuer;

    @Override
    public HealthCheckResponse call() {
        return DetailedCheck.statusOnly(detailed());
    }

    @Override
    public HealthCheckResponse detailed() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return HealthCheckResponse.named("identity").status(status == 200).withData("issuer", issuer)
                    .withData("status", status).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("identity").down().withData("error", e.toString()).build();
        }
    }
}
