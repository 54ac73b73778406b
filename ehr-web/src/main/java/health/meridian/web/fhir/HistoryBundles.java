package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import health.meridian.domain.record.HistoryQuery.VersionCursor;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.fhir.search.HistoryState;
import health.meridian.web.fhir.search.SearchPage;
import health.meridian.web.record.HistoryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * Stored versions as entries of a FHIR {@code history} Bundle: each carries {@code Type/id/_history/n} and the
 * request that made it (POST for version 1, PUT after, DELETE for a deletion marker, whose entry has no resource,
 * as FHIR does). Type-level history pages are served here, also for their paging links.
 */
@ApplicationScoped
public class HistoryBundles {

    @Inject
    HistoryService history;
    @Inject
    RecordResources resources;
    @Inject
    FhirContext fhir;

    /** One page of {@code GET /fhir/Type/_history}; {@code pageId} null or "first" for the first page. */
    public IBundleProvider typePage(HistoryState state, String pageId) {
        VersionCursor after = HistoryState.decodeCursor(pageId);
        HistoryService.Page page = history.typeHistory(state.type(), state.sinceInstant(), after, state.count());
        List<IBaseResource> entries = page.versions().stream().map(this::entry).toList();
        String next = page.more()
                ? HistoryState.encodeCursor(VersionCursor.of(page.versions().get(page.versions().size() - 1)))
                : null;
        return new SearchPage(state.encode(), pageId == null ? "first" : pageId, next, entries,
                (int) Math.min(Integer.MAX_VALUE, page.total()), state.count());
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
