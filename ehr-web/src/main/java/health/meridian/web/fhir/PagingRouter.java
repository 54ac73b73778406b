package health.meridian.web.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import health.meridian.web.fhir.search.CursorPagingProvider;

/**
 * The server's one paging provider: next pages of {@code Patient/$everything} (search ids of {@link EverythingState})
 * go to {@link PatientEverythingOperation}, all others to the searches' {@link CursorPagingProvider}. Stateless both.
 */
class PagingRouter implements IPagingProvider {

    private final CursorPagingProvider searches;
    private final PatientEverythingOperation everything;

    PagingRouter(CursorPagingProvider searches, PatientEverythingOperation everything) {
        this.searches = searches;
        this.everything = everything;
    }

    @Override
    public int getDefaultPageSize() {
        return searches.getDefaultPageSize();
    }

    @Override
    public int getMaximumPageSize() {
        return searches.getMaximumPageSize();
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId) {
        return retrieveResultList(request, searchId, null);
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String searchId, String pageId) {
        if (EverythingState.isEverything(searchId)) {
            return everything.page(EverythingState.decode(searchId), EverythingState.offset(pageId));
        }
        return pageId == null ? searches.retrieveResultList(request, searchId)
                : searches.retrieveResultList(request, searchId, pageId);
    }

    @Override
    public String storeResultList(RequestDetails request, IBundleProvider list) {
        return searches.storeResultList(request, list);
    }
}
