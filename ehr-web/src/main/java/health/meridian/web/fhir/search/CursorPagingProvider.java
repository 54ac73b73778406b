package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;

/** Serves next pages from the search id and cursor in the link itself (no server-side state). */
public class CursorPagingProvider implements IPagingProvider {

    public static final int DEFAULT_PAGE_SIZE = 20;

    private final FhirSearchService search;

    public CursorPagingProvider(FhirSearchService search) {
        this.search = search;
    }

    @Override
    public int getDefaultPageSize() {
        return DEFAULT_PAGE_SIZE;
    }

    @Override
    public int getMaximumPageSize() {
        return health.meridian.domain.search.RecordQuery.MAX_COUNT;
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId) {
        return search.page(SearchState.decode(searchId), null);
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId, String pageId) {
        return search.page(SearchState.decode(searchId), "first".equals(pageId) ? null : pageId);
    }

    @Override
    public String storeResultList(RequestDetails request, IBundleProvider list) {
        return list.getUuid();
    }
}
