package health.meridian.web.export;

import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.IndexUnavailableException;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.SearchResult;
import health.meridian.web.fhir.search.SearchTranslator;
import health.meridian.web.record.SearchService;
import health.meridian.web.security.AccessSeam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a bulk export's {@code _typeFilter} searches to one person's records (ADR 0026): each filter runs as the
 * FHIR search of its type does ({@link SearchTranslator} over the mirror, through {@link SearchService}) under the
 * job caller's reading, its scope narrowed to the person; a record of a filtered type is kept when one of its type's
 * filters finds it. A filter only ever removes: the records it is applied to are those the seam already let the
 * caller read ({@code RecordService.compartment}), and what it finds is within the caller's search scope.
 */
@ApplicationScoped
public class ExportFilters {

    /** At most this many matches of one filter for one person (the compartment's own cap). */
    static final int LIMIT = ExportJobsTx.PERSON_LIMIT;

    @Inject
    SearchService search;

    /** The records of {@code found} (one person's, judged by the seam) that the filters keep. */
    public List<StoredResource> kept(AccessSeam.Reading reading, String person, List<TypeFilter> filters,
                                     List<StoredResource> found) {
        if (filters.isEmpty()) {
            return found;
        }
        Map<String, List<TypeFilter>> byType = new LinkedHashMap<>();
        filters.forEach(f -> byType.computeIfAbsent(f.type(), t -> new ArrayList<>()).add(f));
        Set<String> present = new HashSet<>();
        found.forEach(r -> present.add(r.key().type()));
        Set<String> matched = new HashSet<>();
        for (var e : byType.entrySet()) {
            if (present.contains(e.getKey())) {
                for (TypeFilter f : e.getValue()) {
                    matches(reading, person, f).forEach(h -> matched.add(key(h.tenant(), h.type(), h.id())));
                }
            }
        }
        return found.stream().filter(r -> !byType.containsKey(r.key().type())
                || matched.contains(key(r.key().tenant().value(), r.key().type(), r.key().id()))).toList();
    }

    private List<SearchResult.Hit> matches(AccessSeam.Reading reading, String person, TypeFilter filter) {
        try {
            var criteria = filter.criteria(new Joins(reading));
            return search.allHits(reading, person, scope -> new RecordQuery(scope, List.of(filter.type()), criteria,
                    List.of(), RecordQuery.MAX_COUNT, List.of(), List.of(), false, false), LIMIT);
        } catch (IndexUnavailableException e) {
            throw new IllegalStateException("EHR-1145 _typeFilter " + filter.query() + " could not be applied: the"
                    + " search index cannot be reached", e);
        }
    }

    private static String key(String tenant, String type, String id) {
        return tenant + "|" + type + "/" + id;
    }

    /** A filter's chains and {@code _has}: searches of their own, under the job caller's whole search scope. */
    private final class Joins implements SearchTranslator.Joins {
        private final AccessSeam.Reading reading;

        Joins(AccessSeam.Reading reading) {
            this.reading = reading;
        }

        @Override
        public List<String> matching(String type, String key, String value) {
            return hits(type, key, value).stream().map(h -> h.type() + "/" + h.id()).toList();
        }

        @Override
        public List<String> referencedBy(String type, String refParam, String key, String value) {
            throw new UnsupportedOperationException("EHR-1144 _has is not applied in a _typeFilter");
        }

        private List<SearchResult.Hit> hits(String type, String key, String value) {
            RecordQuery.Criterion c = new SearchTranslator(type, this).criterion(key, value);
            try {
                return search.allHits(reading, null, scope -> new RecordQuery(scope, List.of(type), List.of(c),
                        List.of(), RecordQuery.MAX_COUNT, List.of(), List.of(), false, false), 1000);
            } catch (IndexUnavailableException e) {
                throw new IllegalStateException("EHR-1145 a _typeFilter's chained search could not be run: the"
                        + " search index cannot be reached", e);
            }
        }
    }
}
