package health.meridian.web.record;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.search.SearchDocuments;
import health.meridian.search.TimelineKinds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline from PostgreSQL, for when the search mirror is unreachable: same scope (each institution read under
 * its own row-level-security binding), same order and cursor; no facets or histogram, no text filter.
 */
@ApplicationScoped
public class TimelineFallback {

    @Inject
    RecordRepository records;
    @Inject
    TenantBinding binding;
    @Inject
    FhirContext fhir;

    @Transactional
    public SearchResult timeline(Scope scope, TimelineService.Filter filter) {
        Instant before = filter.after().isEmpty() ? null
                : Instant.ofEpochMilli(((Number) filter.after().get(0)).longValue());
        List<StoredResource> all = new ArrayList<>();
        for (TenantId tenant : scope.tenants()) {
            if (filter.institution() != null && !filter.institution().isBlank()
                    && !filter.institution().equals(tenant.value())) {
                continue;
            }
            binding.bind(tenant);
            for (String person : scope.persons()) {
                all.addAll(records.timeline(person, filter.types(), before, filter.size()));
            }
        }
        SearchDocuments documents = SearchDocuments.withoutSearchParameters(fhir);
        List<SearchResult.Hit> hits = all.stream()
                .filter(s -> s.envelope().sensitivity().stream().noneMatch(scope.withheldLabels()::contains))
                .sorted(Comparator.comparing((StoredResource s) -> s.envelope().effectiveAt()).reversed())
                .map(s -> hit(documents.toIndexed(s)))
                .filter(h -> filter.category() == null || filter.category().isBlank()
                        || filter.category().equals(h.fields().get("kind")))
                .limit(filter.size()).toList();
        return new SearchResult(hits.size(), hits);
    }

    private static SearchResult.Hit hit(IndexedRecord record) {
        StoredResource s = record.stored();
        Map<String, Object> fields = new LinkedHashMap<>(record.searchFields());
        fields.put("tenant", s.key().tenant().value());
        fields.put("person", s.personId());
        fields.put("patient", s.envelope().patientRef());
        fields.put("effective", s.envelope().effectiveAt().toString());
        fields.put("sensitivity", s.envelope().sensitivity());
        fields.put("kind", TimelineKinds.of(s.key().type(), s.envelope().category().stream()
                .map(c -> c.substring(c.indexOf('|') + 1)).toList()));
        List<Object> cursor = List.of(s.envelope().effectiveAt().toEpochMilli(), s.key().documentId());
        return new SearchResult.Hit(s.key().tenant().value(), s.key().type(), s.key().id(), s.version(), s.json(),
                fields, cursor);
    }
}
