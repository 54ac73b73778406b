package health.meridian.web.api;

import health.meridian.domain.search.SearchResult;
import health.meridian.web.fhir.search.SearchState;
import health.meridian.web.record.TimelineService;
import health.meridian.web.record.TimelineService.Filter;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/patients/{id}/timeline}: the patient's longitudinal timeline as JSON (see TimelineView). */
@Path("patients/{id}/timeline")
@Produces(MediaType.APPLICATION_JSON)
public class TimelineResource {

    @Inject
    TimelineService timelines;
    @Inject
    TimelineViews views;
    @Inject
    health.meridian.web.mirror.ReadYourWrites consistency;

    @GET
    public String timeline(@PathParam("id") String patientId,
                                               @QueryParam("size") @DefaultValue("50") int size,
                                               @QueryParam("after") String after,
                                               @QueryParam("category") String category,
                                               @QueryParam("from") String from, @QueryParam("to") String to,
                                               @QueryParam("institution") String institution,
                                               @QueryParam("q") String text,
                                               @QueryParam("billing") String billing,
                                               @QueryParam("_consistency") String consistencyParam,
                                               @jakarta.ws.rs.HeaderParam("X-Meridian-Consistency") String header) {
        if (size < 1 || size > 200) {
            throw new IllegalArgumentException("EHR-0672 size must be between 1 and 200");
        }
        if (health.meridian.web.mirror.ReadYourWrites.requested(header,
                consistencyParam == null ? null : new String[] {consistencyParam})) {
            consistency.await();
        }
        validDate(from);
        validDate(to);
        Filter filter = new Filter(category, from, to, institution, text, size, SearchState.decodeCursor(after),
                !"false".equals(billing));
        return TimelineViews.json(views.of(timelines.timeline(patientId, filter), size));
    }

    private static void validDate(String date) {
        if (date != null && !date.isBlank() && !date.matches("^\\d{4}-\\d{2}-\\d{2}$")) {
            throw new IllegalArgumentException("EHR-0673 dates are YYYY-MM-DD, got '" + date + "'");
        }
    }

    static String cursorOf(SearchResult.Hit last) {
        return SearchState.encodeCursor(last.sortValues());
    }
}
