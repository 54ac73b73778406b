package health.meridian.web.api;

import health.meridian.web.record.RecordService;
import health.meridian.web.record.TimelineService.PatientNotVisibleException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/patients/{id}/outside-records}: whether the chart's banner may say that other institutions hold
 * records about this patient that are not shared with the caller (ADR 0033). {@code {"hint":true}} or
 * {@code {"hint":false}} — the latter byte for byte the same whether the patient did not opt in or nothing is held
 * elsewhere; a patient the caller may not read is 404 {@code EHR-0671}, as for one that does not exist.
 */
@Path("patients/{id}/outside-records")
@Produces(MediaType.APPLICATION_JSON)
public class OutsideRecordsResource {

    static final String HINT = "{\"hint\":true}";
    static final String NO_HINT = "{\"hint\":false}";

    @Inject
    RecordService records;

    @GET
    public String hint(@PathParam("id") String patientId) {
        return records.outsideRecordsHint(patientId).map(hint -> hint ? HINT : NO_HINT)
                .orElseThrow(() -> new PatientNotVisibleException(patientId));
    }
}
