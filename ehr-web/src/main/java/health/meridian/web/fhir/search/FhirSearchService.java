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
import health.meridian.search.params.IndexFields;

/**
 * FHIR search over the mirror: translate parameters (chains, _has and joins run as scoped searches of their own),
 * run the scoped query with search_after paging, then add _include/_revinclude targets through the same scoped
 * search (so an include never reaches outside what the caller may see).
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
        } catch (IndexUnavailableException | JoinFailed e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("EHR-0536")) {
                throw new ServiceUnavailableException("EHR-0536 search is unavailable until the search index is"
                        + " rebuilt for the current mapping (./meridian reindex)");
            }
            throw new ServiceUnavailableException("EHR-0520 search is temporarily unavailable (the search index"
                    + " cannot be reached); retry shortly");
        }
    }

    private IBundleProvider run(SearchState state, String pageId) throws IndexUnavailableException {
        List<Criterion> criteria = translator(state.type()).translate(state.params());
        List<RecordQuery.Sort> sort = SortOrder.parse(state.type(), state.sort());
        List<Object> after = SearchState.decodeCursor(pageId);
        // one more than the page size tells whether there is a next page without a second query
        int probe = state.count() == 0 ? 0 : state.count() + 1;
        SearchResult result = search.search(scope -> new RecordQuery(scope, List.of(state.type()), criteria, sort,
                probe, after, List.of(), false), confiningPatient(state));
        List<SearchResult.Hit> hits = result.hits().stream().limit(state.count()).toList();
        List<IBaseResource> resources = new ArrayList<>(hits.stream().map(this::parse).toList());
        resources.addAll(includes(state, hits));
        String next = result.hits().size() > state.count() && state.count() > 0
                ? SearchState.encodeCursor(hits.get(hits.size() - 1).sortValues()) : null;
        String current = pageId == null ? "first" : pageId;
        return new SearchPage(state.encode(), current, next, resources, (int) result.total(), state.count());
    }

    /**
     * The one Patient a search's criteria confine it to, if any: a single {@code patient} or {@code subject}
     * reference to a Patient ({@code x}, {@code Patient/x}, or an absolute URL ending so), or {@code Patient?_id=x}.
     * Every record such a search can match is about that Patient, so the search may run under the caller's scope
     * for that Patient's person alone ({@link SearchService#search(java.util.function.Function, String)}).
     */
    static String confiningPatient(SearchState state) {
        List<String> keys = "Patient".equals(state.type()) ? List.of("_id")
                : List.of("patient", "patient:Patient", "subject:Patient", "subject");
        for (String key : keys) {
            String[] values = state.params().get(key);
            if (values == null || values.length != 1 || values[0] == null || values[0].contains(",")) {
                continue;
            }
            String v = values[0].trim();
            if ("subject".equals(key) && !v.matches("(?:.*/)?Patient/[A-Za-z0-9\\-.]{1,64}")) {
                continue; // a subject may be a Group, a Device, ...
            }
            v = v.replaceFirst("^.*?Patient/", "");
            if (v.matches("[A-Za-z0-9\\-.]{1,64}")) {
                return v;
            }
        }
        return null;
    }

    private SearchTranslator translator(String type) {
        return new SearchTranslator(type, new ScopedJoins());
    }

    /** The searches chains, {@code _has} and medication codes need, each under the caller's scope. */
    private final class ScopedJoins implements SearchTranslator.Joins {
        @Override
        public List<String> matching(String type, String key, String value) {
            return hits(type, key, value).stream().map(h -> h.type() + "/" + h.id()).toList();
        }

        @Override
        public List<String> referencedBy(String type, String refParam, String key, String value) {
            List<String> out = new ArrayList<>();
            for (SearchResult.Hit h : hits(type, key, value)) {
                out.addAll(references(h, refParam));
            }
            return out;
        }

        private List<SearchResult.Hit> hits(String type, String key, String value) {
            Criterion c = translator(type).criterion(key, value);
            try {
                return search.search(scope -> new RecordQuery(scope, List.of(type), List.of(c), List.of(),
                        MAX_INCLUDES, List.of(), List.of(), false, false)).hits();
            } catch (IndexUnavailableException e) {
                throw new JoinFailed(e);
            }
        }
    }

    /** A join's search failed (the index is unreachable): the whole search answers 503. */
    private static final class JoinFailed extends RuntimeException {
        JoinFailed(IndexUnavailableException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The {@code Type/id} targets of a hit's reference parameter ({@code *}: every reference it makes). */
    private static List<String> references(SearchResult.Hit hit, String param) {
        Object values = hit.fields().get("*".equals(param) ? "refs" : IndexFields.REFERENCE);
        if (!(values instanceof List<?> list)) {
            return List.of();
        }
        String prefix = "*".equals(param) ? "" : IndexFields.key(param, "");
        return list.stream().map(String::valueOf).filter(v -> v.startsWith(prefix))
                .map(v -> v.substring(prefix.length()))
                .filter(v -> v.indexOf('/') > 0 && !v.contains(":")).distinct().toList();
    }

    private List<IBaseResource> includes(SearchState state, List<SearchResult.Hit> matches)
            throws IndexUnavailableException {
        List<IBaseResource> included = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        matches.forEach(h -> seen.add(h.type() + "/" + h.id()));
        for (String spec : state.includes()) {
            included.addAll(forward(spec, matches, seen));
        }
        for (String spec : state.revIncludes()) {
            included.addAll(reverse(spec, matches, seen));
        }
        included.forEach(r -> ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r, BundleEntrySearchModeEnum.INCLUDE));
        return included;
    }

    /** {@code _include=Type:param[:Target]} or {@code *} (every resource the matches refer to). */
    private List<IBaseResource> forward(String spec, List<SearchResult.Hit> matches, Set<String> seen)
            throws IndexUnavailableException {
        Include include = Include.of(spec, true);
        Map<String, Set<String>> idsByType = new java.util.TreeMap<>();
        for (SearchResult.Hit h : matches) {
            if (include.sourceType() != null && !include.sourceType().equals(h.type())) {
                continue;
            }
            for (String ref : references(h, include.param())) {
                String type = ref.substring(0, ref.indexOf('/'));
                if ((include.target() == null || include.target().equals(type)) && seen.add(ref)) {
                    idsByType.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(ref.substring(type.length() + 1));
                }
            }
        }
        List<IBaseResource> out = new ArrayList<>();
        for (var e : idsByType.entrySet()) {
            if (!fhir.getResourceTypes().contains(e.getKey())) {
                continue;
            }
            List<String> ids = List.copyOf(e.getValue());
            out.addAll(search.search(scope -> RecordQuery.of(scope, e.getKey(), List.of(new Term("id", ids)),
                    MAX_INCLUDES)).hits().stream().map(this::parse).toList());
        }
        return out;
    }

    /** {@code _revinclude=Type:param} or {@code *} (every resource referring to a match). */
    private List<IBaseResource> reverse(String spec, List<SearchResult.Hit> matches, Set<String> seen)
            throws IndexUnavailableException {
        Include include = Include.of(spec, false);
        List<String> refs = matches.stream().map(h -> h.type() + "/" + h.id()).toList();
        if (refs.isEmpty()) {
            return List.of();
        }
        List<String> types = include.sourceType() == null ? List.copyOf(fhir.getResourceTypes())
                : List.of(include.sourceType());
        Criterion c = include.sourceType() == null ? new Term("refs", refs)
                : new Term(IndexFields.REFERENCE, refs.stream().map(r -> IndexFields.key(include.param(), r)).toList());
        return search.search(scope -> new RecordQuery(scope, types, List.of(c), List.of(), MAX_INCLUDES, List.of(),
                List.of(), false)).hits().stream().filter(h -> seen.add(h.type() + "/" + h.id()))
                .map(this::parse).toList();
    }

    /** A hit as the page answers it: written from its stored JSON unless the answer needs the model. */
    private IBaseResource parse(SearchResult.Hit hit) {
        return records.answer(hit.json(), hit.tenant());
    }
}
