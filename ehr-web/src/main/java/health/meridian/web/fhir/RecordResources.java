package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.StoredResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Stored record → FHIR resource: the one place that parses a stored version's JSON for the API and marks it with
 * its custodian ({@link CustodianTag}). Every way a stored resource leaves the server (FHIR read, history, search,
 * $everything, $summary, the portal export) goes through here, so none can forget the tag.
 */
@ApplicationScoped
public class RecordResources {

    @Inject
    FhirContext fhir;

    public RecordResources() {
    }

    /** For tests and code outside CDI. */
    public RecordResources(FhirContext fhir) {
        this.fhir = fhir;
    }

    /** The resource of a stored version (not a deletion marker: it has no content). */
    public IBaseResource of(StoredResource stored) {
        return of(stored.json(), stored.key().tenant().value());
    }

    /** As {@link #of(StoredResource)}, typed. */
    public <T extends IBaseResource> T of(StoredResource stored, Class<T> type) {
        requireContent(stored);
        return CustodianTag.add(fhir.newJsonParser().parseResource(type, stored.json()),
                stored.key().tenant().value());
    }

    /** The resource of stored JSON held by {@code custodian} (e.g. a search hit from the mirror). */
    public IBaseResource of(String json, String custodian) {
        if (json == null) {
            throw new IllegalArgumentException("EHR-0150 a deletion marker has no resource");
        }
        return CustodianTag.add(fhir.newJsonParser().parseResource(json), custodian);
    }

    /**
     * A stored version as the API answers it without building its model (issue #21): an empty resource of its type
     * with the id, version and last-updated time HAPI's parser would set (for the ETag and Last-Modified headers, a
     * batch entry's response, a Bundle entry's fullUrl), holding the stored JSON. Only for answers that go straight
     * to the client — a read, a search page: the FHIR endpoint's parser ({@link StoredJsonFhirContext}) writes it
     * from the stored JSON ({@link StoredJson}), or parses it with {@link #parse} where the answer needs the model
     * (XML, {@code _summary}, {@code _elements}, {@code _pretty}). Code that looks into a resource uses {@link #of}.
     */
    public <T extends IBaseResource> T answer(StoredResource stored, Class<T> type) {
        requireContent(stored);
        IBaseResource answer = answer(stored.json(), stored.key().tenant().value());
        return type.isInstance(answer) ? type.cast(answer) : of(stored, type);
    }

    /** As {@link #answer(StoredResource, Class)}, of stored JSON held by {@code custodian} (a search hit). */
    @SuppressWarnings("unchecked")
    public IBaseResource answer(String json, String custodian) {
        if (json == null) {
            throw new IllegalArgumentException("EHR-0150 a deletion marker has no resource");
        }
        java.util.Map<String, Object> tree;
        try {
            tree = StoredJson.read(json);
        } catch (StoredJson.Unsupported e) {
            return of(json, custodian);
        }
        if (!(tree.get("resourceType") instanceof String type) || !(tree.get("id") instanceof String id)
                || !fhir.getResourceTypes().contains(type) || "Binary".equals(type)) {
            return of(json, custodian); // a Binary may be answered as its content, which HAPI reads from the model
        }
        IBaseResource resource = fhir.getResourceDefinition(type).newInstance();
        Object version = null;
        Object updated = null;
        if (tree.get("meta") instanceof java.util.Map<?, ?> meta) {
            version = meta.get("versionId");
            updated = meta.get("lastUpdated");
        }
        if (version instanceof String v) {
            resource.setId(new org.hl7.fhir.r4.model.IdType(type, id, v));
            resource.getMeta().setVersionId(v);
        } else {
            resource.setId(new org.hl7.fhir.r4.model.IdType(type, id));
        }
        if (updated instanceof String u && resource instanceof org.hl7.fhir.r4.model.Resource r) {
            r.getMeta().getLastUpdatedElement().setValueAsString(u);
        }
        resource.setUserData(STORED, new Stored(json, tree, custodian));
        return resource;
    }

    /** What an {@link #answer} holds: the stored JSON, as read, and the institution holding it. */
    public record Stored(String json, java.util.Map<String, Object> tree, String custodian) {
    }

    private static final String STORED = RecordResources.class.getName() + ".stored";

    /** The stored JSON an {@link #answer} holds, or null for any other resource (a model). */
    public static Stored stored(IBaseResource resource) {
        return resource == null ? null : (Stored) resource.getUserData(STORED);
    }

    /** The model of an {@link #answer} (with its entry's search mode kept); any other resource as it is. */
    public IBaseResource parse(IBaseResource resource) {
        Stored s = stored(resource);
        if (s == null) {
            return resource;
        }
        IBaseResource parsed = of(s.json(), s.custodian());
        var mode = ca.uhn.fhir.model.api.ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(resource);
        if (mode != null) {
            ca.uhn.fhir.model.api.ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(parsed, mode);
        }
        return parsed;
    }

    private static void requireContent(StoredResource stored) {
        if (stored.json() == null) {
            throw new IllegalArgumentException("EHR-0150 a deletion marker has no resource");
        }
    }
}
