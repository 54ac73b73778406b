package health.meridian.web.api;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import health.meridian.domain.cohort.SavedCohort;
import health.meridian.web.cohort.CohortJson;
import health.meridian.web.cohort.CohortService;
import health.meridian.web.cohort.CohortViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Cohort queries (issue #8): {@code POST /api/cohorts/count}, saved cohorts ({@code GET/POST /api/cohorts},
 * {@code GET /api/cohorts/{id}}, {@code POST /api/cohorts/{id}/run}, {@code GET /api/cohorts/compare?a=&b=}),
 * the patient list ({@code GET /api/cohorts/{id}/patients}, tenant admins) and the FHIR Group export.
 */
@Path("cohorts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"clinician", "nurse", "tenant-admin", "platform-admin", "patient", "researcher"})
public class CohortResource {

    @Inject
    CohortService cohorts;
    @Inject
    FhirContext fhir;
    @Inject
    health.meridian.web.mirror.OutboxShipper outbox;

    @POST
    @Path("count")
    public Map<String, Object> count(String body) {
        return withFreshness(CohortViews.result(cohorts.count(body, null), null));
    }

    @POST
    public Response save(String body) {
        JsonNode tree = CohortJson.tree(body);
        SavedCohort saved = cohorts.save(tree.path("name").asText(null), body);
        return Response.status(201).entity(CohortViews.saved(saved, cohorts.mayListPatients())).build();
    }

    @GET
    public List<Map<String, Object>> list() {
        boolean lastCounts = cohorts.mayListPatients();
        return cohorts.saved().stream().map(c -> CohortViews.saved(c, lastCounts)).toList();
    }

    @GET
    @Path("compare")
    public Map<String, Object> compare(@QueryParam("a") String a, @QueryParam("b") String b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("EHR-0829 compare needs two saved cohort ids: ?a=...&b=...");
        }
        return CohortViews.comparison(a, b, cohorts.compare(a, b));
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return CohortViews.saved(cohorts.find(id), cohorts.mayListPatients());
    }

    @POST
    @Path("{id}/run")
    public Map<String, Object> rerun(@PathParam("id") String id) {
        return withFreshness(CohortViews.result(cohorts.rerun(id), id));
    }

    /**
     * How far the index the counts came from lags behind the record store (issue #20: freshness visible): whole
     * seconds since the oldest change not yet indexed, 0 when none. A platform-wide age, no count of anything.
     */
    private Map<String, Object> withFreshness(Map<String, Object> result) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(result);
        out.put("indexLagSeconds", Math.round(outbox.lag().oldestAgeSeconds()));
        return out;
    }

    @GET
    @Path("{id}/patients")
    public Map<String, Object> patients(@PathParam("id") String id) {
        return CohortViews.patients(id, cohorts.patients(id));
    }

    @GET
    @Path("{id}/group")
    @Produces({"application/fhir+json", MediaType.APPLICATION_JSON})
    public Response group(@PathParam("id") String id) {
        SavedCohort saved = cohorts.find(id);
        boolean members = cohorts.mayListPatients();
        var run = members ? cohorts.patients(id) : cohorts.rerun(id);
        String json = fhir.newJsonParser().encodeResourceToString(CohortViews.group(saved, run, members));
        return Response.ok(json, "application/fhir+json").build();
    }
}
