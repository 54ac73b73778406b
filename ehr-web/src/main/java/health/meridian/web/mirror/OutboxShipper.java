package health.meridian.web.mirror;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.outbox.OutboxEvent;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.PersonIndex;
import health.meridian.domain.search.RecordIndex;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.search.SearchDocuments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ships one batch of outbox events to the search mirror in one transaction: claim (SKIP LOCKED), read each
 * version under its own tenant's binding, bulk-index into the records index, then rewrite the person cohort index
 * documents of the persons the batch touches (in outbox order, one rewrite per person), then delete the events —
 * or defer them with backoff if either index is down or a person document changed meanwhile (the records index
 * then simply refuses the replayed versions as not newer), so writes never depend on Elasticsearch.
 */
@ApplicationScoped
public class OutboxShipper {

    private static final Logger LOG = Logger.getLogger(OutboxShipper.class.getName());
    /**
     * Events per batch: a backlog (a bulk load) is shipped in large {@code _bulk} requests, and each person document
     * the batch touches is read and rewritten once per batch — the larger the batch, the fewer rewrites of the same
     * large document. When idle a batch holds what is there (usually a handful of events).
     */
    static final int BATCH = 2000;

    @PersistenceContext(unitName = "meridian")
    EntityManager em;
    @Inject
    TenantBinding binding;
    @Inject
    RecordRepository records;
    @Inject
    RecordIndex index;
    @Inject
    PersonIndex persons;
    @Inject
    FhirContext fhir;
    @Inject
    health.meridian.web.ingest.Parallel parallel;

    /** Returns the number of events shipped (0 when idle or deferred). */
    @Transactional
    public int shipBatch() {
        binding.bindOutboxWorker();
        List<OutboxEvent> events = em.createNativeQuery("SELECT * FROM outbox_event WHERE next_attempt_at IS NULL"
                        + " OR next_attempt_at <= now() ORDER BY seq LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED",
                OutboxEvent.class).getResultList();
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, List<OutboxEvent>> byTenant = new LinkedHashMap<>();
        events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(e));
        List<health.meridian.domain.record.StoredResource> versions = new ArrayList<>();
        SearchDocuments documents = new SearchDocuments(fhir);
        for (var entry : byTenant.entrySet()) {
            TenantId tenant = TenantId.of(entry.getKey());
            binding.bind(tenant);
            versions.addAll(records.versions(entry.getValue().stream().map(e -> new RecordRepository.VersionKey(
                    new ResourceKey(tenant, e.resourceType(), e.resourceId()), e.version())).toList()));
        }
        // the documents' derivation (parsing, FHIRPath search parameters) is the CPU of shipping: on all cores
        List<IndexedRecord> docs = parallel.map(versions, documents::toIndexed);
        Map<String, String> rejected;
        try {
            rejected = index.ship(docs);
            persons.apply(docs);
        } catch (IndexUnavailableException e) {
            LOG.log(Level.WARNING, "search mirror unavailable, deferring {0} events: {1}",
                    new Object[] {events.size(), e.getMessage()});
            deferAll(byTenant);
            return 0;
        }
        deadLetter(events, rejected);
        delete(events);
        return events.size();
    }

    /** Events whose document the index refused for good leave the outbox (so they block nothing) for a record. */
    private void deadLetter(List<OutboxEvent> events, Map<String, String> rejected) {
        for (OutboxEvent e : events) {
            String reason = rejected.get(e.tenantId() + "/" + e.resourceType() + "/" + e.resourceId());
            if (reason == null) {
                continue;
            }
            LOG.log(Level.SEVERE, "EHR-0216 search index refused {0}/{1}/{2} v{3}: {4}", new Object[] {
                    e.tenantId(), e.resourceType(), e.resourceId(), e.version(), reason});
            em.createNativeQuery("INSERT INTO outbox_dead_letter (seq, tenant_id, resource_type, resource_id,"
                            + " version, created_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                            + " ON CONFLICT (seq) DO NOTHING")
                    .setParameter(1, e.seq()).setParameter(2, e.tenantId()).setParameter(3, e.resourceType())
                    .setParameter(4, e.resourceId()).setParameter(5, e.version())
                    .setParameter(6, java.sql.Timestamp.from(e.createdAt())).setParameter(7, reason)
                    .executeUpdate();
        }
    }

    /** The shipped events leave the outbox: one statement per thousand events, not one per event. */
    private void delete(List<OutboxEvent> events) {
        for (int i = 0; i < events.size(); i += 1000) {
            StringBuilder seqs = new StringBuilder();
            for (OutboxEvent e : events.subList(i, Math.min(events.size(), i + 1000))) {
                seqs.append(seqs.length() == 0 ? "" : ",").append(e.seq().longValue());
            }
            em.createNativeQuery("DELETE FROM outbox_event WHERE seq IN (" + seqs + ")").executeUpdate();
        }
        events.forEach(em::detach);
    }

    private void deferAll(Map<String, List<OutboxEvent>> byTenant) {
        Instant now = Instant.now();
        for (var entry : byTenant.entrySet()) {
            binding.bind(TenantId.of(entry.getKey()));
            entry.getValue().forEach(e -> e.deferAfterFailure(now));
            em.flush();
        }
    }

    /** Relaxes (a backlog is being shipped) or restores the refresh of both live indexes; a failure is logged. */
    public void relaxRefresh(boolean relaxed) {
        try {
            index.relaxRefresh(relaxed);
            persons.relaxRefresh(relaxed);
            LOG.log(Level.INFO, "search mirror: refresh {0}", relaxed ? "relaxed to 30 s while a backlog ships"
                    : "restored to 1 s");
        } catch (IndexUnavailableException e) {
            LOG.log(Level.WARNING, "search mirror: refresh interval not changed: {0}", e.getMessage());
        }
    }

    /** Queue depth and age of the oldest unshipped event, for health and metrics. */
    @Transactional
    public OutboxLag lag() {
        binding.bindOutboxWorker();
        Object[] row = (Object[]) em.createNativeQuery("SELECT count(*), coalesce(extract(epoch FROM"
                + " (clock_timestamp() - min(created_at))), 0) FROM outbox_event").getSingleResult();
        return new OutboxLag(((Number) row[0]).longValue(), ((Number) row[1]).doubleValue());
    }

    public record OutboxLag(long depth, double oldestAgeSeconds) {
    }

}
