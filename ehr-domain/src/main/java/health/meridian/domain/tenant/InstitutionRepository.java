package health.meridian.domain.tenant;

import java.util.List;
import java.util.Optional;

public interface InstitutionRepository {

    Optional<Institution> find(TenantId id);

    List<Institution> all();

    void add(Institution institution);
}
