package health.meridian.domain.record;

import health.meridian.domain.tenant.TenantId;
import java.util.regex.Pattern;

/** Identifies one FHIR resource held by one tenant: {@code tenant / type / id}. */
public record ResourceKey(TenantId tenant, String type, String id) {

    private static final Pattern TYPE = Pattern.compile("^[A-Z][A-Za-z]{1,63}$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9\\-.]{1,64}$");

    public ResourceKey {
        if (tenant == null) {
            throw new IllegalArgumentException("EHR-0110 a resource always belongs to a tenant");
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("EHR-0111 invalid resource type: " + type);
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("EHR-0112 invalid resource id: " + id);
        }
    }

    public String documentId() {
        return tenant.value() + "/" + type + "/" + id;
    }

    @Override
    public String toString() {
        return documentId();
    }
}
