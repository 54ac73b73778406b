package health.meridian.web.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Term;
import health.meridian.domain.search.SearchResult;
import health.meridian.web.fhir.ServiceUnavailableException;
import health.meridian.web.record.SearchService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;

/**
 * FHIR search over the mirror: translate parameters, resolve chains, run the scoped query with search_after
 * paging, then add _include/_revinclude targets through the same scoped search (so an include never reaches
 * outside what the caller may see).
 */
@ApplicationScoped
public class FhirSearchService {

    private static final int MAX_INCLUDES = 1000;

    @Inject
    SearchService search;
    @Inject
    FhirContext fhir;
    @Inject
    health.meridian.web.fhir.RecordResources records;

    public IBundleProvider page(SearchState state, String pageId) {
        try {
            return run(state, pageId);
        } catch (IndexUnavailableException e) {
            throw new ServiceUnavailableException("EHR-0520 search is temporarily unavailable (the search index"
                    + " cannot be reached); retry shortly");
        }
    }

    private IBundleProvider run(SearchState state, String pageId) throws IndexUnavailableException {
        SearchTranslator.Parsed parsed = SearchTranslator.translate(state.type(), state.params());
        List<Criterion> criteria = new ArrayList<>(parsed.criteria());
        for (SearchTranslator.Chain chain : parsed.chains()) {
            criteria.add(new Term("patient", matchingPatients(chain)));
        }
        List<RecordQuery.Sort> sort = SortOrder.parse(state.type(), state.sort());
        List<Object> after = SearchState.decodeCursor(pageId);
        // one more than the page size tells whether there is a next page without a second query
        int probe = state.count() == 0 ? 0 : state.count() + 1;
        SearchResult result = search.search(scope -> new RecordQuery(scope, List.of(state.type()), criteria, sort,
                probe, after, List.of(), false));
        List<SearchResult.Hit> hits = result.hits().stream().limit(state.count()).toList();
        List<IBaseResource> resources = new ArrayList<>(hits.stream().map(this::parse).toList());
        resources.addAll(includes(state, resources));
        String next = result.hits().size() > state.count() && state.count() > 0
                ? SearchState.encodeCursor(hits.get(hits.size() - 1).sortValues()) : null;
        String current = pageId == null ? "first" : pageId;
        return new SearchPage(state.encode(), current, next, resources, (int) result.total(), state.count());
    }

    private List<String> matchingPatients(SearchTranslator.Chain chain) throws IndexUnavailableException {
        SearchParameters.Param param = SearchParameters.find("Patient", chain.param()).orElseThrow();
        Criterion c = SearchTranslator.criterion(param, null, chain.value());
        SearchResult patients = search.search(scope -> RecordQuery.of(scope, "Patient", List.of(c), MAX_INCLUDES));
        List<String> refs = patients.hits().stream().map(h -> "Patient/" + h.id()).toList();
        return refs.isEmpty() ? List.of("Patient/-none-") : refs;
    }

    private List<IBaseResource> includes(SearchState state, List<IBaseResource> matches)
            throws IndexUnavailableException {
        List<IBaseResource> included = new ArrayList<>();
        for (String spec : state.includes()) {
            included.addAll(forward(spec, matches));
        }
        for (String spec : state.revIncludes()) {
            included.addAll(reverse(spec, matches));
        }
        included.forEach(r -> ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r, BundleEntrySearchModeEnum.INCLUDE));
        return included;
    }

    private List<IBaseResource> forward(String spec, List<IBaseResource> matches) throws IndexUnavailableException {
        SearchParameters.Param param = referenceParam(spec);
        Map<String, Set<String>> idsByType = new java.util.HashMap<>();
        for (IBaseResource r : matches) {
            String path = param.referencePath().substring(param.referencePath().indexOf('.') + 1);
            for (Reference ref : fhir.newTerser().getValues(r, path, Reference.class)) {
                var el = ref.getReferenceElement();
                if (el.hasResourceType() && el.hasIdPart()) {
                    idsByType.computeIfAbsent(el.getResourceType(), t -> new LinkedHashSet<>()).add(el.getIdPart());
                }
            }
        }
        List<IBaseResource> out = new ArrayList<>();
        for (var e : idsByType.entrySet()) {
            List<String> ids = List.copyOf(e.getValue());
            out.addAll(search.search(scope -> RecordQuery.of(scope, e.getKey(), List.of(new Term("id", ids)),
                    MAX_INCLUDES)).hits().stream().map(this::parse).toList());
        }
        return out;
    }

    private List<IBaseResource> reverse(String spec, List<IBaseResource> matches) throws IndexUnavailableException {
        SearchParameters.Param param = referenceParam(spec);
        String sourceType = spec.substring(0, spec.indexOf(':'));
        List<String> refs = matches.stream()
                .map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList();
        if (refs.isEmpty()) {
            return List.of();
        }
        return search.search(scope -> RecordQuery.of(scope, sourceType, List.of(new Term(param.field(), refs)),
                MAX_INCLUDES)).hits().stream().map(this::parse).toList();
    }

    private static SearchParameters.Param referenceParam(String spec) {
        String[] parts = spec.split(":");
        if (parts.length < 2) {
            throw new InvalidRequestException("EHR-0511 _include/_revinclude must be Type:param, got '" + spec + "'");
        }
        return SearchParameters.find(parts[0], parts[1])
                .filter(p -> p.kind() == SearchParameters.Kind.REFERENCE)
                .orElseThrow(() -> new InvalidRequestException("EHR-0512 unsupported _include/_revinclude '" + spec
                        + "': use a reference parameter such as Observation:patient or Observation:encounter"));
    }

    private IBaseResource parse(SearchResult.Hit hit) {
        return records.of(hit.json(), hit.tenant());
    }
}
