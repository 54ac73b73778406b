package health.meridian.web.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.web.fhir.search.CursorPagingProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * GET entries of a batch: {@code Type/id}, {@code Type/id/_history/n} and {@code Type?params} are answered by the
 * type's own provider, exactly as the same request outside a batch (the record store's and the mirror's use cases:
 * the access seam judges and audits them); a search answers a searchset Bundle with its total and next link.
 */
@ApplicationScoped
public class BatchReads {

    @Inject
    ServedProviders providers;

    public BundleEntryComponent answer(int index, BundleEntryComponent entry, RequestDetails outer) {
        String url = entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl().replaceFirst("^/", "");
        int q = url.indexOf('?');
        String[] path = (q < 0 ? url : url.substring(0, q)).split("/");
        RecordResourceProvider<?> provider = providers.records(path[0]).orElse(null);
        if (provider == null || !(path.length == 1 || path.length == 2 || path.length == 4 && "_history".equals(path[2]))) {
            throw new InvalidRequestException("EHR-0444 entry " + index + ": GET " + url + " is not supported in a"
                    + " batch (use Type/id, Type/id/_history/n or Type?params)");
        }
        if (path.length == 1) {
            return searched(provider, q < 0 ? "" : url.substring(q + 1), outer);
        }
        IdType id = path.length == 2 ? new IdType(path[0], path[1]) : new IdType(path[0], path[1], path[3]);
        return read((Resource) provider.read(id), outer.getFhirServerBase());
    }

    private static BundleEntryComponent read(Resource resource, String base) {
        BundleEntryComponent answer = new BundleEntryComponent().setResource(resource).setFullUrl(base + "/"
                + resource.getIdElement().toUnqualifiedVersionless().getValue());
        answer.getResponse().setStatus("200 OK").setEtag("W/\"" + resource.getMeta().getVersionId() + "\"")
                .setLastModified(resource.getMeta().getLastUpdated());
        return answer;
    }

    private static BundleEntryComponent searched(RecordResourceProvider<?> provider, String query,
                                                 RequestDetails outer) {
        SystemRequestDetails request = new SystemRequestDetails();
        Map<String, String[]> params = parameters(query);
        request.setParameters(params);
        String[] count = params.get("_count");
        Integer size = count == null ? null : Integer.valueOf(CountCap.isAboveMaximum(count[0])
                ? Integer.toString(health.meridian.domain.search.RecordQuery.MAX_COUNT) : count[0]);
        IBundleProvider result = provider.search(request, size);
        int pageSize = size == null ? CursorPagingProvider.DEFAULT_PAGE_SIZE : size;
        Bundle set = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        if (result.size() != null) {
            set.setTotal(result.size());
        }
        String base = outer.getFhirServerBase();
        set.addLink().setRelation("self").setUrl(base + "/" + provider.typeName() + (query.isEmpty() ? "" : "?" + query));
        if (result.getNextPageId() != null) {
            set.addLink().setRelation("next").setUrl(base + "?_getpages=" + result.getUuid() + "&_pageId="
                    + result.getNextPageId() + "&_bundletype=searchset");
        }
        for (IBaseResource r : result.getResources(0, pageSize)) {
            boolean included = ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(r) == BundleEntrySearchModeEnum.INCLUDE;
            set.addEntry().setFullUrl(base + "/" + r.getIdElement().toUnqualifiedVersionless().getValue())
                    .setResource((Resource) r).getSearch().setMode(included ? Bundle.SearchEntryMode.INCLUDE
                            : Bundle.SearchEntryMode.MATCH);
        }
        String bundleId = java.util.UUID.randomUUID().toString();
        set.setId(bundleId);
        BundleEntryComponent answer = new BundleEntryComponent().setResource(set).setFullUrl("urn:uuid:" + bundleId);
        answer.getResponse().setStatus("200 OK");
        return answer;
    }

    private static Map<String, String[]> parameters(String query) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        Map<String, String[]> params = new LinkedHashMap<>();
        values.forEach((k, v) -> params.put(k, v.toArray(String[]::new)));
        return params;
    }
}
