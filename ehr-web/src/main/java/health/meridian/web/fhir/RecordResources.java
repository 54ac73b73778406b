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

    private static void requireContent(StoredResource stored) {
        if (stored.json() == null) {
            throw new IllegalArgumentException("EHR-0150 a deletion marker has no resource");
        }
    }
}
