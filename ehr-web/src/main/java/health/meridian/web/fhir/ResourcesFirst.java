package health.meridian.web.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/** A page of results with some computed resources in front of it (counted in the total), paging unchanged. */
final class ResourcesFirst implements IBundleProvider {

    private final List<IBaseResource> first;
    private final IBundleProvider page;

    ResourcesFirst(List<IBaseResource> first, IBundleProvider page) {
        this.first = List.copyOf(first);
        this.page = page;
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        List<IBaseResource> all = new ArrayList<>(first);
        all.addAll(page.getResources(fromIndex, toIndex));
        return all;
    }

    @Override
    public Integer size() {
        return page.size() == null ? null : page.size() + first.size();
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return page.getPublished();
    }

    @Override
    public String getUuid() {
        return page.getUuid();
    }

    @Override
    public String getCurrentPageId() {
        return page.getCurrentPageId();
    }

    @Override
    public String getNextPageId() {
        return page.getNextPageId();
    }

    @Override
    public String getPreviousPageId() {
        return page.getPreviousPageId();
    }

    @Override
    public Integer preferredPageSize() {
        return page.preferredPageSize();
    }
}
