package health.meridian.web.mirror;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.tenant.Institution;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.record.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the system of record with the mirror, institution by institution (ids and versions only, never
 * content), and repairs on request: missing or stale documents are re-announced through the outbox (the normal
 * shipping path), documents the database no longer has are removed.
 */
@ApplicationScoped
public class MirrorReconciler {

    @PersistenceContext(unitName = "meridian")
    EntityManager em;
    @Inject
    TenantBinding binding;
    @Inject
    RecordIndex index;
    @Inject
    TenantService tenants;

    /** What was compared and found. {@code drift} is missing + stale + extra. */
    public record Report(long inDatabase, long inIndex, long missing, long stale, long extra, long drift,
                         boolean repaired) {
        static Report of(long db, long es, long missing, long stale, long extra, boolean repaired) {
            return new Report(db, es, missing, stale, extra, missing + stale + extra, repaired);
        }
    }

    @Transactional
    public Report verify(boolean repair) throws IndexUnavailableException {
        long db = 0;
        long es = 0;
        long missing = 0;
        long stale = 0;
        long extra = 0;
        for (Institution institution : tenants.all()) {
            binding.bind(institution.id());
            Map<String, Long> indexed = new HashMap<>(index.versions(institution.id()));
            es += indexed.size();
            List<Object[]> toAnnounce = new ArrayList<>();
            for (Object[] head : heads()) {
                String docId = institution.id().value() + "/" + head[0] + "/" + head[1];
                int version = ((Number) head[2]).intValue();
                boolean deleted = (Boolean) head[3];
                Long inIndex = indexed.remove(docId);
                if (!deleted) {
                    db++;
                }
                if (!deleted && inIndex == null) {
                    missing++;
                    toAnnounce.add(head);
                } else if (!deleted && inIndex < version) {
                    stale++;
                    toAnnounce.add(head);
                } else if (deleted && inIndex != null) {
                    extra++;
                    toAnnounce.add(head);
                }
            }
            extra += indexed.size();
            if (repair) {
                toAnnounce.forEach(h -> announce(institution.id().value(), h));
                index.remove(List.copyOf(indexed.keySet()));
            }
        }
        return Report.of(db, es, missing, stale, extra, repair);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> heads() {
        return em.createNativeQuery("SELECT resource_type, resource_id, current_version, deleted FROM resource_head")
                .getResultList();
    }

    private void announce(String tenant, Object[] head) {
        em.createNativeQuery("INSERT INTO outbox_event (tenant_id, resource_type, resource_id, version)"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, tenant).setParameter(2, head[0]).setParameter(3, head[1]).setParameter(4, head[2])
                .executeUpdate();
    }
}
