package health.meridian.web.fhir.search;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;

/** One page of results (matches first, then _include/_revinclude resources), with cursor-based page ids. */
public class SearchPage implements IBundleProvider {

    private final String searchId;
    private final String currentPageId;
    private final String nextPageId;
    private final List<IBaseResource> resources;
    private final int total;
    private final int pageSize;
    private final InstantType published = InstantType.now();

    public SearchPage(String searchId, String currentPageId, String nextPageId, List<IBaseResource> resources,
                      int total, int pageSize) {
        this.searchId = searchId;
        this.currentPageId = currentPageId;
        this.nextPageId = nextPageId;
        this.resources = List.copyOf(resources);
        this.total = total;
        this.pageSize = pageSize;
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return published;
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        return resources;
    }

    @Override
    public String getUuid() {
        return searchId;
    }

    @Override
    public String getCurrentPageId() {
        return currentPageId;
    }

    @Override
    public String getNextPageId() {
        return nextPageId;
    }

    @Override
    public Integer preferredPageSize() {
        return pageSize;
    }

    @Override
    public Integer size() {
        return total;
    }
}
