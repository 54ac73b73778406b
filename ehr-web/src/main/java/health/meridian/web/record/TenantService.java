package health.meridian.web.record;

import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import health.meridian.infrastructure.persistence.AccessFactVersions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Registry of institutions. Registration is idempotent: registering the same id again changes nothing.
 *
 * <p>{@link #all()} is read on every search, timeline page and patient's search scope; the registry is registry data
 * (no RLS, no clinical content) that changes when a platform admin registers an institution. The list is kept on
 * this instance at the access-fact counter (V29, ADR 0035) it was read at, and reused only while the transaction
 * sees that same number — PostgreSQL bumps it with any change of the table, so a registration on another instance
 * (or in SQL) shows at once. A clinician's binding statement has already read the number; other transactions read
 * it once (one small statement).
 */
@ApplicationScoped
@Transactional
public class TenantService {

    @Inject
    InstitutionRepository institutions;
    @Inject
    AccessFactVersions versions;

    private record Snapshot(List<Institution> all, long version) {
    }

    private final AtomicReference<Snapshot> cached = new AtomicReference<>();

    public List<Institution> all() {
        AccessFactVersions.Seen seen = versions.current();
        Snapshot s = cached.get();
        if (s != null && seen.reuses(s.version())) {
            return s.all();
        }
        List<Institution> all = List.copyOf(institutions.all());
        if (!seen.writtenHere()) {
            cached.set(new Snapshot(all, seen.version()));
        }
        return all;
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
        versions.writtenHere(); // the insert may not be flushed yet: this transaction no longer reuses the list
        cached.set(null);
        return true;
    }
}
