package health.meridian.web.health;

import health.meridian.web.fhir.validation.ResourceValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The FHIR validator has loaded the R4 structure definitions (seconds after start): until then writes would wait
 * for it, so the instance does not report ready.
 */
@Readiness
@ApplicationScoped
public class ValidatorHealthCheck implements HealthCheck, DetailedCheck {

    @Inject
    ResourceValidation validation;

    @Override
    public HealthCheckResponse call() {
        return DetailedCheck.statusOnly(detailed());
    }

    @Override
    public HealthCheckResponse detailed() {
        return HealthCheckResponse.named("fhir-validator").status(validation.ready()).build();
    }
}
