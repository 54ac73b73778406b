package health.meridian.web.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.domain.search.RecordQuery;
import java.time.Instant;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Page size and {@code _since} of the history interactions. A {@code _count} above the maximum has already been
 * lowered to it ({@link CountCap}), as servers do; a negative one is an error.
 */
final class PageSize {

    private PageSize() {
    }

    static int of(Integer count) {
        int size = count == null ? health.meridian.web.fhir.search.CursorPagingProvider.DEFAULT_PAGE_SIZE : count;
        if (size < 0 || size > RecordQuery.MAX_COUNT) {
            throw new InvalidRequestException("EHR-0202 _count must be between 0 and " + RecordQuery.MAX_COUNT);
        }
        return size;
    }

    static Instant since(InstantType since) {
        return since == null || since.getValue() == null ? null : since.getValue().toInstant();
    }
}
