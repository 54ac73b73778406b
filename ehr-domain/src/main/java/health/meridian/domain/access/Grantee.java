package health.meridian.domain.access;

import health.meridian.domain.tenant.TenantId;
import java.util.Optional;

/** Who a grant is to: exactly one practitioner, or one institution (every care professional there). */
public record Grantee(Optional<String> practitionerId, Optional<TenantId> institution) {

    public Grantee {
        if (practitionerId.isPresent() == institution.isPresent()) {
            throw new IllegalArgumentException("EHR-0601 a grant needs exactly one grantee: a practitioner or an"
                    + " institution");
        }
        practitionerId.ifPresent(p -> {
            if (!p.matches("^[A-Za-z0-9\\-.]{1,64}$")) {
                throw new IllegalArgumentException("EHR-0610 invalid practitioner id: " + p);
            }
        });
    }

    public static Grantee practitioner(String id) {
        return new Grantee(Optional.of(id), Optional.empty());
    }

    public static Grantee institution(TenantId id) {
        return new Grantee(Optional.empty(), Optional.of(id));
    }
}
