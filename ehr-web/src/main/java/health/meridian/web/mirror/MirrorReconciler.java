package health.meridian.web.mirror;

import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.PersonIndex;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.tenant.Institution;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.search.PersonDocuments;
import health.meridian.web.record.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares the system of record with the mirror, institution by institution (ids and versions only, never
 * content), and repairs on request: missing or stale documents are re-announced through the outbox (the normal
 * shipping path), documents the database no longer has are removed. The person cohort index is compared entry by
 * entry the same way (each current patient record and cohort-relevant record of a person is one entry of that
 * person's document, with its version); entries the database no longer has (or has under another person) are
 * removed from the person documents.
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
    PersonIndex persons;
    @Inject
    TenantService tenants;

    /** What was compared and found. {@code drift} is missing + stale + extra, of both indexes. */
    public record Report(long inDatabase, long inIndex, long missing, long stale, long extra, long drift,
                         boolean repaired, Counts persons) {
    }

    /** One index's comparison: entries expected from the database, found in the index, and the differences. */
    public record Counts(long inDatabase, long inIndex, long missing, long stale, long extra) {
        long drift() {
            return missing + stale + extra;
        }

        Counts plus(Counts o) {
            return new Counts(inDatabase + o.inDatabase, inIndex + o.inIndex, missing + o.missing, stale + o.stale,
                    extra + o.extra);
        }
    }

    @Transactional
    public Report verify(boolean repair) throws IndexUnavailableException {
        Counts records = new Counts(0, 0, 0, 0, 0);
        Counts people = new Counts(0, 0, 0, 0, 0);
        for (Institution institution : tenants.all()) {
            binding.bind(institution.id());
            String tenant = institution.id().value();
            List<Object[]> heads = heads(tenant);
            Map<String, Object[]> toAnnounce = new LinkedHashMap<>();
            records = records.plus(compareRecords(institution, heads, toAnnounce, repair));
            people = people.plus(comparePersons(institution, heads, toAnnounce, repair));
            if (repair) {
                toAnnounce.values().forEach(h -> announce(tenant, h));
            }
        }
        return new Report(records.inDatabase(), records.inIndex(), records.missing(), records.stale(),
                records.extra(), records.drift() + people.drift(), repair, people);
    }

    private Counts compareRecords(Institution institution, List<Object[]> heads, Map<String, Object[]> toAnnounce,
                                  boolean repair) throws IndexUnavailableException {
        String tenant = institution.id().value();
        Map<String, Long> indexed = new HashMap<>(index.versions(institution.id()));
        long es = indexed.size();
        long db = 0;
        long missing = 0;
        long stale = 0;
        long extra = 0;
        for (Object[] head : heads) {
            String docId = tenant + "/" + head[0] + "/" + head[1];
            int version = ((Number) head[2]).intValue();
            boolean deleted = (Boolean) head[3];
            Long inIndex = indexed.remove(docId);
            if (!deleted) {
                db++;
            }
            if (!deleted && inIndex == null) {
                missing++;
                toAnnounce.put(docId, head);
            } else if (!deleted && inIndex < version) {
                stale++;
                toAnnounce.put(docId, head);
            } else if (deleted && inIndex != null) {
                extra++;
                toAnnounce.put(docId, head);
            }
        }
        extra += indexed.size();
        if (repair) {
            index.remove(List.copyOf(indexed.keySet()));
        }
        return new Counts(db, es, missing, stale, extra);
    }

    private Counts comparePersons(Institution institution, List<Object[]> heads, Map<String, Object[]> toAnnounce,
                                  boolean repair) throws IndexUnavailableException {
        String tenant = institution.id().value();
        Map<String, PersonIndex.Entry> indexed = new HashMap<>(persons.entries(institution.id()));
        long es = indexed.size();
        Map<String, PersonIndex.Entry> toRemove = new HashMap<>();
        long db = 0;
        long missing = 0;
        long stale = 0;
        for (Object[] head : heads) {
            String person = (String) head[4];
            if ((Boolean) head[3] || person == null || !PersonDocuments.covers((String) head[0])) {
                continue;
            }
            db++;
            String key = tenant + "/" + head[0] + "/" + head[1];
            PersonIndex.Entry entry = indexed.remove(key);
            if (entry == null) {
                missing++;
                toAnnounce.put(key, head);
            } else if (entry.version() < ((Number) head[2]).longValue() || !Objects.equals(entry.person(), person)) {
                stale++;
                toAnnounce.put(key, head);
                if (!Objects.equals(entry.person(), person)) {
                    toRemove.put(key, entry);
                }
            }
        }
        toRemove.putAll(indexed);
        if (repair) {
            persons.remove(toRemove);
        }
        return new Counts(db, es, missing, stale, indexed.size());
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> heads(String tenant) {
        // the institution's own rows: row-level security, bound to it, also shows other institutions' rows that a
        // grant to it admits (V3 grant_access) — those are the other institution's to compare and to repair
        return em.createNativeQuery("SELECT resource_type, resource_id, current_version, deleted, person_id"
                + " FROM resource_head WHERE tenant_id = ?1").setParameter(1, tenant).getResultList();
    }

    private void announce(String tenant, Object[] head) {
        em.createNativeQuery("INSERT INTO outbox_event (tenant_id, resource_type, resource_id, version)"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, tenant).setParameter(2, head[0]).setParameter(3, head[1]).setParameter(4, head[2])
                .executeUpdate();
    }
}
