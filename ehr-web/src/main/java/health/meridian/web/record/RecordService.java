package health.meridian.web.record;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.PersonRegistry;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Use cases of the longitudinal record store. Each public method is one transaction bound to the caller's tenant
 * (row-level security) after the access policy has decided.
 */
@ApplicationScoped
@Transactional
public class RecordService {

    @Inject
    RecordRepository records;
    @Inject
    PersonRegistry persons;
    @Inject
    TenantBinding binding;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    FhirContext fhir;
    @Inject
    EnvelopeExtractor extractor;

    public StoredResource create(IBaseResource resource) {
        String type = resource.fhirType();
        TenantId tenant = writeScope(type);
        ResourceKey key = new ResourceKey(tenant, type, UUID.randomUUID().toString());
        return store(key, resource);
    }

    /** Creates with an id chosen beforehand (transaction bundles resolve urn:uuid references to it). */
    public StoredResource createWithId(String id, IBaseResource resource) {
        TenantId tenant = writeScope(resource.fhirType());
        return store(new ResourceKey(tenant, resource.fhirType(), id), resource);
    }

    /**
     * The id of the one current resource of a type with the identifier {@code system|value} in the caller's write
     * institution; empty if none; an error if the criteria match more than one.
     */
    public Optional<String> findByIdentifier(String type, String identifier) {
        TenantId tenant = writeScope(type);
        List<ResourceKey> matches = records.findByIdentifier(new ResourceKey(tenant, type, "scope"), identifier);
        if (matches.size() > 1) {
            throw new IllegalArgumentException("EHR-0411 " + type + "?identifier=" + identifier + " matches "
                    + matches.size() + " resources");
        }
        return matches.stream().findFirst().map(ResourceKey::id);
    }

    public StoredResource update(String type, String id, IBaseResource resource) {
        if (!type.equals(resource.fhirType())) {
            throw new IllegalArgumentException("EHR-0401 resource type " + resource.fhirType()
                    + " does not match the URL type " + type);
        }
        TenantId tenant = writeScope(type);
        return store(new ResourceKey(tenant, type, id), resource);
    }

    public Optional<StoredResource> delete(String type, String id) {
        TenantId tenant = writeScope(type);
        return records.markDeleted(new ResourceKey(tenant, type, id));
    }

    public Optional<StoredResource> read(String type, String id) {
        return readScope(type, id).flatMap(records::current);
    }

    public Optional<StoredResource> readVersion(String type, String id, int version) {
        return readScope(type, id).flatMap(key -> records.version(key, version));
    }

    public List<StoredResource> history(String type, String id) {
        return readScope(type, id).map(records::history).orElse(List.of());
    }

    /**
     * Everything about the patient's person that the caller may see, from every institution they may read:
     * the Patient/$everything compartment (capped at {@code limit}).
     */
    public List<StoredResource> everything(String patientId, int limit) {
        StoredResource patient = read("Patient", patientId).filter(p -> !p.deleted()).orElse(null);
        if (patient == null) {
            return List.of();
        }
        List<StoredResource> out = new java.util.ArrayList<>();
        for (TenantId tenant : policy.readableTenants(caller())) {
            binding.bind(tenant);
            out.addAll(records.compartment(patient.personId(), limit - out.size()));
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    private StoredResource store(ResourceKey key, IBaseResource resource) {
        Optional<StoredResource> previous = records.current(key);
        int nextVersion = previous.map(p -> p.version() + 1).orElse(1);
        resource.setId(key.type() + "/" + key.id());
        resource.getMeta().setVersionId(Integer.toString(nextVersion));
        resource.getMeta().setLastUpdated(new Date());
        RecordEnvelope envelope = extractor.extract(resource, key.id());
        String personId = personFor(key, envelope, previous);
        return records.append(key, envelope, personId, fhir.newJsonParser().encodeResourceToString(resource));
    }

    private String personFor(ResourceKey key, RecordEnvelope envelope, Optional<StoredResource> previous) {
        if ("Patient".equals(key.type())) {
            return previous.map(StoredResource::personId).orElseGet(persons::register);
        }
        if (envelope.patientRef() == null) {
            return null;
        }
        String patientId = envelope.patientRef().substring("Patient/".length());
        return records.personOf(new ResourceKey(key.tenant(), "Patient", patientId)).orElseThrow(() ->
                new IllegalArgumentException("EHR-0402 unknown reference " + envelope.patientRef()));
    }

    private TenantId writeScope(String type) {
        TenantId tenant = policy.writeTenant(caller(), type);
        binding.bind(tenant);
        return tenant;
    }

    /** Readable only within the caller's institutions; otherwise the resource simply does not exist for them. */
    private Optional<ResourceKey> readScope(String type, String id) {
        List<TenantId> tenants = policy.readableTenants(caller());
        for (TenantId tenant : tenants) {
            binding.bind(tenant);
            ResourceKey key = new ResourceKey(tenant, type, id);
            if (records.current(key).isPresent()) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private Caller caller() {
        return currentCaller.get();
    }
}
