package health.meridian.domain.record;

import java.util.List;
import java.util.Optional;

/**
 * The longitudinal record store: append-only versions of FHIR resources, one head per resource. Every write also
 * records an outbox event in the same transaction. Callers are already bound to the key's tenant.
 */
public interface RecordRepository {

    /** Stores the next version (1 for a new resource) and returns it. */
    StoredResource append(ResourceKey key, RecordEnvelope envelope, String personId, String json);

    /**
     * Stores version 1 of many new resources at once (bulk import path: one batched round trip per table).
     * The keys must be new; an existing key makes the whole transaction fail.
     */
    List<StoredResource> appendNew(List<NewResource> resources);

    /** A resource to store as version 1. */
    record NewResource(ResourceKey key, RecordEnvelope envelope, String personId, String json) {
    }

    /** Stores a deletion marker as the next version; returns empty if the resource does not exist or is deleted. */
    Optional<StoredResource> markDeleted(ResourceKey key);

    Optional<StoredResource> current(ResourceKey key);

    /**
     * The current version, with the resource's head locked until the transaction ends: a write that checks a
     * version condition against it and then appends cannot be overtaken by another write in between.
     */
    Optional<StoredResource> currentForUpdate(ResourceKey key);

    Optional<StoredResource> version(ResourceKey key, int version);

    /**
     * Many versions at once, all of the bound tenant (one query per few hundred keys instead of one per key: the
     * search mirror's shipper reads its whole batch this way); a version that does not exist is simply absent.
     */
    List<StoredResource> versions(List<VersionKey> keys);

    /** One version of one resource: its key and version number. */
    record VersionKey(ResourceKey key, int version) {
    }

    /**
     * The person of each live (not deleted) resource among {@code keys}, all of the bound tenant, in one query per
     * few hundred keys: {@code Type/id} → person id, or the empty string for a resource about no person; a key that
     * is unknown or deleted is absent. The bulk path's batched reference checks use it.
     */
    java.util.Map<String, String> livePersons(java.util.Collection<ResourceKey> keys);

    List<StoredResource> history(ResourceKey key);

    /**
     * Type-level (or, with no type, system-level) history: the versions of a type that the query's scope admits, deletion markers included (a marker
     * is judged by the labels of the version it deletes, and left out if that version is not admitted), newest
     * first. Row-level security applies on top, as always.
     */
    List<StoredResource> typeHistory(HistoryQuery query);

    /** How many versions {@link #typeHistory} admits, ignoring the query's offset and limit. */
    long countTypeHistory(HistoryQuery query);

    /**
     * Takes a transaction-scoped lock on (tenant, type, identifier), so that concurrent conditional creates of the
     * same identifier serialize and the second one sees the first one's resource.
     */
    void lockIdentifier(ResourceKey typeScope, String identifier);

    /** Current, not deleted resources of a type carrying the identifier {@code system|value}. */
    List<ResourceKey> findByIdentifier(ResourceKey typeScope, String identifier);

    /**
     * Current, not deleted entries about a person held by the bound tenant, with an effective time before
     * {@code before} (null = no bound), newest first.
     */
    List<StoredResource> timeline(String personId, List<String> types, java.time.Instant before, int limit);

    /**
     * Every current, not deleted resource about a person held by the bound tenant (the patient compartment), in a
     * stable order (type, effective time newest first, id), so that pages of it can be cut by offset.
     */
    List<StoredResource> compartment(String personId, int limit);

    /** The person a Patient resource is linked to, if that patient exists. */
    Optional<String> personOf(ResourceKey patient);

    /**
     * The persons an institution holds a (not deleted) Patient record of, in id order (a backend service's bulk
     * export of its institution, ADR 0031); the transaction must be bound to that institution.
     */
    List<String> personsHeldBy(health.meridian.domain.tenant.TenantId tenant);

    /**
     * The persons of the live Patient records with this id at any of {@code tenants} that the bound transaction may
     * see (row-level security applies): one primary-key probe per tenant.
     */
    java.util.Set<String> personsOfPatientId(java.util.Collection<health.meridian.domain.tenant.TenantId> tenants,
                                             String patientId);

    /**
     * The current versions of the bound institution's live resources, in (type, id) order, after the key
     * {@code afterType/afterId} (both null for the first page): a full scan in pages, for rebuilding the search mirror.
     */
    List<StoredResource> currentPage(health.meridian.domain.tenant.TenantId tenant, String afterType, String afterId,
                                     int limit);
}
