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

    /** Stores a deletion marker as the next version; returns empty if the resource does not exist or is deleted. */
    Optional<StoredResource> markDeleted(ResourceKey key);

    Optional<StoredResource> current(ResourceKey key);

    Optional<StoredResource> version(ResourceKey key, int version);

    List<StoredResource> history(ResourceKey key);

    /** Current, not deleted resources of a type carrying the identifier {@code system|value}. */
    List<ResourceKey> findByIdentifier(ResourceKey typeScope, String identifier);

    /**
     * Current, not deleted entries about a person held by the bound tenant, with an effective time before
     * {@code before} (null = no bound), newest first.
     */
    List<StoredResource> timeline(String personId, List<String> types, java.time.Instant before, int limit);

    /** Every current, not deleted resource about a person held by the bound tenant (the patient compartment). */
    List<StoredResource> compartment(String personId, int limit);

    /** The person a Patient resource is linked to, if that patient exists. */
    Optional<String> personOf(ResourceKey patient);
}
