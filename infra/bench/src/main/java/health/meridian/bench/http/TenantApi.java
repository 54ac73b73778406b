package health.meridian.bench.http;

import java.util.Optional;

/**
 * Meridian's JSON API in one tenant: as the tenant's clinician (the same user and tokens as its FHIR client; the
 * timeline) and as its tenant admin (cohort counts; empty when {@code --admins} names none for the tenant).
 */
public record TenantApi(String tenant, ApiClient clinician, Optional<ApiClient> admin) {
}
