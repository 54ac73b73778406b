package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.IResourceProvider;
import health.meridian.domain.record.ResourceCatalogue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource providers of the FHIR server: the types with interactions of their own (Consent's grant view, the
 * read-only AuditEvent of the ledger) are provider beans; every other type of the {@link ResourceCatalogue} is
 * served by a {@link StoredTypeResourceProvider}. So a served type is one entry in the catalogue, and the
 * CapabilityStatement (generated from the registered providers) lists exactly what is served.
 */
@ApplicationScoped
public class ServedProviders {

    @Inject
    FhirContext fhir;
    @Inject
    Instance<IResourceProvider> specific;
    @Inject
    Instance<StoredTypeResourceProvider> generic;

    private final Map<String, IResourceProvider> byType = new LinkedHashMap<>();

    @PostConstruct
    void build() {
        specific.forEach(p -> byType.put(fhir.getResourceType(p.getResourceType()), p));
        for (String type : new ResourceCatalogue(fhir).served()) {
            if (!byType.containsKey(type)) {
                byType.put(type, generic.get().serving(fhir.getResourceDefinition(type).getImplementingClass()));
            }
        }
    }

    public List<IResourceProvider> all() {
        return new ArrayList<>(byType.values());
    }

    /** The provider of a stored type (read, search... through the record store), if the type is served. */
    public Optional<RecordResourceProvider<?>> records(String type) {
        return Optional.ofNullable(byType.get(type)).filter(RecordResourceProvider.class::isInstance)
                .map(p -> (RecordResourceProvider<?>) p);
    }
}
