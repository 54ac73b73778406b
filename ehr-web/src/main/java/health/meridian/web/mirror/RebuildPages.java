package health.meridian.web.mirror;

import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.Institution;
import health.meridian.infrastructure.persistence.TenantBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** One page of one institution's current versions for {@link IndexRebuilder}, each in its own short transaction. */
@ApplicationScoped
public class RebuildPages {

    @Inject
    TenantBinding binding;
    @Inject
    RecordRepository records;

    @Transactional
    public List<StoredResource> page(Institution institution, String afterType, String afterId) {
        binding.bind(institution.id());
        return records.currentPage(institution.id(), afterType, afterId, IndexRebuilder.PAGE);
    }
}
