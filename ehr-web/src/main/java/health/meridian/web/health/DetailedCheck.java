package health.meridian.web.health;

import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A readiness check with an operator's view. {@code /health/ready} is unauthenticated (load balancers, the
 * {@code ./meridian} script and the tests wait on its status code), so it carries each check's name and status
 * only; {@link #detailed} adds the figures (schema version, outbox lag, person documents, error messages) that only
 * operators see, through {@code GET /api/admin/health} (issue #18: no counts to anonymous callers).
 */
public interface DetailedCheck {

    /** Name, status and the operator's data. */
    HealthCheckResponse detailed();

    /** What {@code /health/ready} publishes of {@code detailed}: the name and the status, nothing else. */
    static HealthCheckResponse statusOnly(HealthCheckResponse detailed) {
        boolean up = detailed.getStatus() == HealthCheckResponse.Status.UP;
        return HealthCheckResponse.named(detailed.getName()).status(up).build();
    }
}
