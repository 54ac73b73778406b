package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.record.HistoryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * Stored versions as entries of a FHIR {@code history} Bundle: each carries {@code Type/id/_history/n} and the
 * request that made it (POST for version 1, PUT after, DELETE for a deletion marker, whose entry has no resource,
 * as FHIR does). Type-level history pages are built here.
 */
@ApplicationScoped
public class HistoryBundles {

    @Inject
    HistoryService history;
    @Inject
    RecordResources resources;
    @Inject
    FhirContext fhir;

    /**
     * One page of {@code GET /fhir/Type/_history}: HAPI pages histories by offset ({@code _offset} in its links),
     * so the page is the versions after {@code offset}, with the total for the next link.
     */
    public IBundleProvider typePage(String type, Instant since, int offset, int count) {
        HistoryService.Page page = history.typeHistory(type, since, offset, count);
        SimpleBundleProvider bundle = new SimpleBundleProvider(page.versions().stream().map(this::entry).toList());
        bundle.setCurrentPageOffset(offset);
        bundle.setCurrentPageSize(count);
        bundle.setSize((int) Math.min(Integer.MAX_VALUE, page.total()));
        return bundle;
    }

    /** One page of {@code GET /fhir/_history}: every type, within the same scope as type history. */
    public IBundleProvider systemPage(Instant since, int offset, int count) {
        return typePage(null, since, offset, count);
    }

    /** A version as a history entry. */
    public IBaseResource entry(StoredResource version) {
        IBaseResource resource = version.deleted()
                ? fhir.getResourceDefinition(version.key().type()).newInstance()
                : resources.of(version);
        resource.setId(new IdType(version.key().type(), version.key().id(), Integer.toString(version.version())));
        BundleEntryTransactionMethodEnum method = version.deleted() ? BundleEntryTransactionMethodEnum.DELETE
                : version.version() == 1 ? BundleEntryTransactionMethodEnum.POST : BundleEntryTransactionMethodEnum.PUT;
        ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(resource, method);
        return resource;
    }
}
