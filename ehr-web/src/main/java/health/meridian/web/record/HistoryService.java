package health.meridian.web.record;

import health.meridian.domain.record.HistoryQuery;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessSeam.Reading;
import health.meridian.web.security.Disclosure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Type-level and system-level history ({@code GET /fhir/Type/_history}, {@code GET /fhir/_history}) from the
 * system of record. What the caller sees is decided
 * exactly as for a search: the scope comes from {@link SearchService#scope()} (the access policy's readable
 * institutions, the caller's care teams, break-the-glass sessions and grants, recomputed on every page) and the
 * record store applies it to every version. No scope (roles that read no clinical content): no versions. Audited.
 */
@ApplicationScoped
@Transactional
public class HistoryService {

    @Inject
    RecordRepository records;
    @Inject
    SearchService searches;
    @Inject
    AccessSeam seam;

    /** One page of versions, newest first; {@code more} when a next page exists; {@code total} for the bundle. */
    public record Page(List<StoredResource> versions, boolean more, long total) {

        static Page empty() {
            return new Page(List.of(), false, 0);
        }
    }

    /** Type history ({@code type} not null) or system history ({@code type} null: every type the scope admits). */
    public Page typeHistory(String type, Instant since, int offset, int count) {
        String interaction = type == null ? "history-system" : "history-type";
        Reading reading = seam.reading(interaction, type, null).describedAs(e -> e.withQuery("_since="
                + (since == null ? "" : since) + " _offset=" + offset + " _count=" + count));
        Optional<Scope> scope = reading.lists(type) ? searches.scopeOf(reading) : Optional.empty();
        if (scope.isEmpty()) {
            reading.describedAs(e -> e.withDetail("no scope: 0 versions")).disclosed(List.of());
            return Page.empty();
        }
        // one more than the page size tells whether there is a next page without a second query
        HistoryQuery query = new HistoryQuery(type, scope.get(), since, offset, count == 0 ? 0 : count + 1);
        List<StoredResource> found = count == 0 ? List.of() : reading.confirmedRecords(records.typeHistory(query));
        long total = records.countTypeHistory(query);
        List<StoredResource> page = found.stream().limit(count).toList();
        reading.describedAs(e -> e.withDetail(total + " version(s)"))
                .disclosed(page.stream().map(Disclosure::of).toList());
        return new Page(page, found.size() > count, total);
    }
}
