package health.meridian.infrastructure.persistence;

import health.meridian.domain.outbox.OutboxEvent;
import health.meridian.domain.record.HistoryQuery;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Record store on PostgreSQL: append a version, move the head, write the outbox event — one transaction. */
@ApplicationScoped
public class JpaRecordRepository implements RecordRepository {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public StoredResource append(ResourceKey key, RecordEnvelope envelope, String personId, String json) {
        ResourceHeadRow head = em.find(ResourceHeadRow.class, new ResourceHeadRow.Pk(key),
                LockModeType.PESSIMISTIC_WRITE);
        int next = head == null ? 1 : head.currentVersion() + 1;
        ResourceVersionRow row = new ResourceVersionRow(key, next, envelope, personId, json);
        em.persist(row);
        em.flush();
        if (head == null) {
            head = new ResourceHeadRow(key);
            head.moveTo(next, json == null, personId, envelope.identifiers());
            em.persist(head);
        } else {
            head.moveTo(next, json == null, personId, envelope.identifiers());
        }
        em.persist(new OutboxEvent(key.tenant().value(), key.type(), key.id(), next));
        em.flush();
        return row.toStored();
    }

    @Override
    public List<StoredResource> appendNew(List<NewResource> resources) {
        em.flush();
        try {
            return new BatchInsert(em.unwrap(java.sql.Connection.class)).insert(resources);
        } catch (java.sql.SQLException e) {
            throw new jakarta.persistence.PersistenceException("EHR-0130 batch insert failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredResource> markDeleted(ResourceKey key) {
        Optional<StoredResource> existing = current(key);
        if (existing.isEmpty() || existing.get().deleted()) {
            return Optional.empty();
        }
        RecordEnvelope previous = existing.get().envelope();
        RecordEnvelope tombstone = new RecordEnvelope(null, null, List.of(), List.of(), List.of(), List.of(),
                previous.author());
        return Optional.of(append(key, tombstone, existing.get().personId(), null));
    }

    @Override
    public Optional<StoredResource> current(ResourceKey key) {
        // the head and its current version in one statement (one round trip per read instead of two, issue #21)
        return em.createQuery("SELECT v FROM ResourceVersionRow v, ResourceHeadRow h WHERE h.tenantId = :t"
                        + " AND h.resourceType = :type AND h.resourceId = :id AND v.tenantId = h.tenantId"
                        + " AND v.resourceType = h.resourceType AND v.resourceId = h.resourceId"
                        + " AND v.version = h.currentVersion", ResourceVersionRow.class)
                .setParameter("t", key.tenant().value()).setParameter("type", key.type())
                .setParameter("id", key.id()).getResultStream().findFirst().map(ResourceVersionRow::toStored);
    }

    @Override
    public Optional<StoredResource> currentForUpdate(ResourceKey key) {
        ResourceHeadRow head = em.find(ResourceHeadRow.class, new ResourceHeadRow.Pk(key),
                LockModeType.PESSIMISTIC_WRITE);
        return head == null ? Optional.empty() : version(key, head.currentVersion());
    }

    @Override
    public Optional<StoredResource> version(ResourceKey key, int version) {
        ResourceVersionRow row = em.find(ResourceVersionRow.class, new ResourceVersionRow.Pk(key, version));
        return Optional.ofNullable(row).map(ResourceVersionRow::toStored);
    }

    @Override
    public List<StoredResource> versions(List<VersionKey> keys) {
        List<StoredResource> out = new ArrayList<>();
        for (List<VersionKey> part : parts(keys)) {
            java.util.Set<VersionKey> wanted = new java.util.HashSet<>(part);
            em.createQuery("SELECT v FROM ResourceVersionRow v WHERE v.tenantId = :t AND v.resourceType IN :types"
                            + " AND v.resourceId IN :ids", ResourceVersionRow.class)
                    .setParameter("t", part.get(0).key().tenant().value())
                    .setParameter("types", part.stream().map(k -> k.key().type()).distinct().toList())
                    .setParameter("ids", part.stream().map(k -> k.key().id()).distinct().toList())
                    .getResultList().stream().map(ResourceVersionRow::toStored)
                    .filter(s -> wanted.contains(new VersionKey(s.key(), s.version()))).forEach(out::add);
        }
        return out;
    }

    @Override
    public java.util.Map<String, String> livePersons(java.util.Collection<ResourceKey> keys) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (List<ResourceKey> part : parts(List.copyOf(keys))) {
            java.util.Set<String> wanted = new java.util.HashSet<>();
            part.forEach(k -> wanted.add(k.type() + "/" + k.id()));
            List<Object[]> rows = em.createQuery("SELECT h.resourceType, h.resourceId, h.personId FROM ResourceHeadRow h"
                            + " WHERE h.tenantId = :t AND h.resourceType IN :types AND h.resourceId IN :ids"
                            + " AND h.deleted = false", Object[].class)
                    .setParameter("t", part.get(0).tenant().value())
                    .setParameter("types", part.stream().map(ResourceKey::type).distinct().toList())
                    .setParameter("ids", part.stream().map(ResourceKey::id).distinct().toList())
                    .getResultList();
            for (Object[] row : rows) {
                String ref = row[0] + "/" + row[1];
                if (wanted.contains(ref)) {
                    out.put(ref, row[2] == null ? "" : (String) row[2]);
                }
            }
        }
        return out;
    }

    /** Keys in parts of at most 500 (a bounded IN list), each part of one tenant. */
    private static <K> List<List<K>> parts(List<K> keys) {
        java.util.Map<String, List<K>> byTenant = new java.util.LinkedHashMap<>();
        for (K k : keys) {
            ResourceKey key = k instanceof VersionKey v ? v.key() : (ResourceKey) k;
            byTenant.computeIfAbsent(key.tenant().value(), t -> new ArrayList<>()).add(k);
        }
        List<List<K>> out = new ArrayList<>();
        for (List<K> ofTenant : byTenant.values()) {
            for (int i = 0; i < ofTenant.size(); i += 500) {
                out.add(ofTenant.subList(i, Math.min(ofTenant.size(), i + 500)));
            }
        }
        return out;
    }

    @Override
    public List<StoredResource> history(ResourceKey key) {
        return em.createQuery("SELECT v FROM ResourceVersionRow v WHERE v.tenantId = :t AND v.resourceType = :type"
                        + " AND v.resourceId = :id ORDER BY v.version DESC", ResourceVersionRow.class)
                .setParameter("t", key.tenant().value())
                .setParameter("type", key.type())
                .setParameter("id", key.id())
                .getResultList().stream().map(ResourceVersionRow::toStored).toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<StoredResource> typeHistory(HistoryQuery query) {
        List<Object> params = new ArrayList<>();
        String where = historyWhere(query, params);
        String sql = "SELECT v.tenant_id, v.resource_type, v.resource_id, v.version FROM resource_version v WHERE "
                + where
                + " ORDER BY v.recorded_at DESC, v.tenant_id DESC, v.resource_id DESC, v.version DESC LIMIT "
                + query.limit() + " OFFSET " + query.offset();
        List<Object[]> keys = bind(em.createNativeQuery(sql), params).getResultList();
        List<StoredResource> out = new ArrayList<>(keys.size());
        for (Object[] k : keys) {
            ResourceKey key = new ResourceKey(TenantId.of((String) k[0]), (String) k[1], (String) k[2]);
            version(key, ((Number) k[3]).intValue()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public long countTypeHistory(HistoryQuery query) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT count(*) FROM resource_version v WHERE " + historyWhere(query, params);
        return ((Number) bind(em.createNativeQuery(sql), params).getSingleResult()).longValue();
    }

    /** Type (none: every type), scope (ScopeSql) and _since. */
    private static String historyWhere(HistoryQuery query, List<Object> params) {
        StringBuilder where = new StringBuilder();
        if (query.type() != null) {
            params.add(query.type());
            where.append("v.resource_type = ?1 AND ");
        }
        where.append(ScopeSql.predicate(query.scope(), params));
        if (query.since() != null) {
            params.add(java.sql.Timestamp.from(query.since()));
            where.append(" AND v.recorded_at >= CAST(?").append(params.size()).append(" AS timestamptz)");
        }
        return where.toString();
    }

    private static jakarta.persistence.Query bind(jakarta.persistence.Query query, List<Object> params) {
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        return query;
    }

    @Override
    public void lockIdentifier(ResourceKey typeScope, String identifier) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, typeScope.tenant().value() + "|" + typeScope.type() + "|" + identifier)
                .getSingleResult();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<ResourceKey> findByIdentifier(ResourceKey typeScope, String identifier) {
        String probe = StringListJsonConverter.JSON.createArrayBuilder().add(identifier).build().toString();
        List<String> ids = em.createNativeQuery("SELECT resource_id FROM resource_head WHERE tenant_id = ?1"
                        + " AND resource_type = ?2 AND NOT deleted AND identifiers @> CAST(?3 AS jsonb)")
                .setParameter(1, typeScope.tenant().value())
                .setParameter(2, typeScope.type())
                .setParameter(3, probe)
                .getResultList();
        TenantId tenant = typeScope.tenant();
        return ids.stream().map(id -> new ResourceKey(tenant, typeScope.type(), id)).toList();
    }

    @Override
    public List<StoredResource> timeline(String personId, List<String> types, java.time.Instant before, int limit) {
        var query = em.createQuery("SELECT v FROM ResourceVersionRow v, ResourceHeadRow h WHERE h.personId = :person"
                        + " AND h.deleted = false AND h.resourceType IN :types AND v.tenantId = h.tenantId"
                        + " AND v.resourceType = h.resourceType AND v.resourceId = h.resourceId"
                        + " AND v.version = h.currentVersion AND v.effectiveAt IS NOT NULL"
                        + (before == null ? "" : " AND v.effectiveAt < :before")
                        + " ORDER BY v.effectiveAt DESC", ResourceVersionRow.class)
                .setParameter("person", personId)
                .setParameter("types", types)
                .setMaxResults(limit);
        if (before != null) {
            query.setParameter("before", before);
        }
        return query.getResultList().stream().map(ResourceVersionRow::toStored).toList();
    }

    @Override
    public List<StoredResource> compartment(String personId, int limit) {
        return em.createQuery("SELECT v FROM ResourceVersionRow v, ResourceHeadRow h WHERE h.personId = :person"
                        + " AND h.deleted = false AND v.tenantId = h.tenantId AND v.resourceType = h.resourceType"
                        + " AND v.resourceId = h.resourceId AND v.version = h.currentVersion"
                        + " ORDER BY v.resourceType, v.effectiveAt DESC, v.resourceId", ResourceVersionRow.class)
                .setParameter("person", personId)
                .setMaxResults(limit)
                .getResultList().stream().map(ResourceVersionRow::toStored).toList();
    }

    @Override
    public Optional<String> personOf(ResourceKey patient) {
        ResourceHeadRow head = em.find(ResourceHeadRow.class, new ResourceHeadRow.Pk(patient));
        return head == null || head.deleted() ? Optional.empty() : Optional.ofNullable(head.personId());
    }

    @Override
    public List<String> personsHeldBy(health.meridian.domain.tenant.TenantId tenant) {
        return em.createQuery("SELECT DISTINCT h.personId FROM ResourceHeadRow h WHERE h.tenantId = :tenant"
                        + " AND h.resourceType = 'Patient' AND h.deleted = false AND h.personId IS NOT NULL"
                        + " ORDER BY h.personId", String.class)
                .setParameter("tenant", tenant.value()).getResultList();
    }

    @Override
    public java.util.Set<String> personsOfPatientId(
            java.util.Collection<health.meridian.domain.tenant.TenantId> tenants, String patientId) {
        if (tenants.isEmpty() || patientId == null) {
            return java.util.Set.of();
        }
        List<String> persons = em.createQuery("SELECT h.personId FROM ResourceHeadRow h WHERE h.tenantId IN :tenants"
                        + " AND h.resourceType = 'Patient' AND h.resourceId = :id AND h.deleted = false", String.class)
                .setParameter("tenants", tenants.stream().map(health.meridian.domain.tenant.TenantId::value).toList())
                .setParameter("id", patientId).getResultList();
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        persons.forEach(p -> out.add(p));
        return out;
    }

    @Override
    public List<StoredResource> currentPage(TenantId tenant, String afterType, String afterId, int limit) {
        // the tenant named, not only the one bound: row-level security also shows other institutions' rows that a
        // grant to the bound institution admits (V3 grant_access), and those are theirs to index, not this one's
        var query = em.createQuery("SELECT v FROM ResourceVersionRow v, ResourceHeadRow h WHERE h.deleted = false"
                        + " AND h.tenantId = :tenant"
                        + " AND v.tenantId = h.tenantId AND v.resourceType = h.resourceType"
                        + " AND v.resourceId = h.resourceId AND v.version = h.currentVersion"
                        + (afterType == null ? "" : " AND (h.resourceType > :type OR (h.resourceType = :type"
                        + " AND h.resourceId > :id))")
                        + " ORDER BY h.resourceType, h.resourceId", ResourceVersionRow.class)
                .setParameter("tenant", tenant.value())
                .setMaxResults(limit);
        if (afterType != null) {
            query.setParameter("type", afterType).setParameter("id", afterId);
        }
        return query.getResultList().stream().map(ResourceVersionRow::toStored).toList();
    }
}
