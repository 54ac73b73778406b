package health.meridian.web.record;

import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Registry of institutions. Registration is idempotent: registering the same id again changes nothing.
 *
 * <p>{@link #all()} is read on every timeline page and every patient's search scope; the registry is registry data
 * (no RLS, no clinical content) that changes when a platform admin registers an institution, so the list is kept
 * for {@link #TTL} — dropped at once on this instance when it registers one, and at most {@code TTL} late on others.
 */
@ApplicationScoped
@Transactional
public class TenantService {

    static final Duration TTL = Duration.ofSeconds(10);

    @Inject
    InstitutionRepository institutions;

    private record Snapshot(List<Institution> all, Instant at) {
    }

    private final AtomicReference<Snapshot> cached = new AtomicReference<>();

    public List<Institution> all() {
        Snapshot s = cached.get();
        Instant now = Instant.now();
        if (s == null || s.at().plus(TTL).isBefore(now)) {
            s = new Snapshot(List.copyOf(institutions.all()), now);
            cached.set(s);
        }
        return s.all();
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
        cached.set(null);
        return true;
    }
}
