package health.meridian.web.record;

import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** Registry of institutions. Registration is idempotent: registering the same id again changes nothing. */
@ApplicationScoped
@Transactional
public class TenantService {

    @Inject
    InstitutionRepository institutions;

    public List<Institution> all() {
        return institutions.all();
    }

    public Institution find(TenantId id) {
        return institutions.find(id).orElseThrow(() -> new IllegalArgumentException("EHR-0106 unknown tenant " + id));
    }

    /** Returns true if the institution was new. */
    public boolean register(Institution institution) {
        if (institutions.find(institution.id()).isPresent()) {
            return false;
        }
        institutions.add(institution);
        return true;
    }
}
