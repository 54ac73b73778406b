package health.meridian.web.api;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.fhir.RecordResources;
import health.meridian.web.portal.AccessLogRow;
import health.meridian.web.portal.AccessLogService;
import health.meridian.web.record.SummaryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * The patient portal's own endpoints: {@code GET /api/me} (the patient's records per institution),
 * {@code GET /api/me/access-log?from&to&kind&who} (who accessed my record) and {@code GET /api/me/export} (the
 * whole record as a FHIR collection Bundle, for data portability), {@code GET/PUT /api/me/outside-records-hint} (ADR 0033).
 */
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"patient", "clinician", "nurse", "tenant-admin", "platform-admin", "researcher"})
public class MeResource {

    @Inject
    SummaryService summaries;
    @Inject
    AccessLogService accessLog;
    @Inject
    FhirContext fhir;
    @Inject
    RecordResources resources;
    @Inject
    health.meridian.web.portal.OutsideRecordsConsentService outsideRecords;

    /** The patient's choice about the outside-records hint (ADR 0033). */
    public record OutsideRecordsHint(Boolean enabled) {
    }

    public record PatientRecord(String id, String institution, String name) {
    }

    public record Me(List<PatientRecord> records) {
    }

    @GET
    public Me me() {
        return new Me(summaries.ownPatientRecords().stream().map(s -> new PatientRecord(s.key().id(),
                s.key().tenant().value(), name(s))).toList());
    }

    /** {@code GET /api/me/outside-records-hint}: may clinicians who treat me be told that others hold records? */
    @GET
    @Path("outside-records-hint")
    public OutsideRecordsHint outsideRecordsHint() {
        return new OutsideRecordsHint(outsideRecords.current());
    }

    /** {@code PUT /api/me/outside-records-hint {"enabled":true|false}}: the patient switches it on or off. */
    @jakarta.ws.rs.PUT
    @Path("outside-records-hint")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public OutsideRecordsHint chooseOutsideRecordsHint(OutsideRecordsHint choice) {
        if (choice == null || choice.enabled() == null) {
            throw new IllegalArgumentException("EHR-1210 say {\"enabled\": true} or {\"enabled\": false}");
        }
        return new OutsideRecordsHint(outsideRecords.choose(choice.enabled()));
    }

    @GET
    @Path("access-log")
    public List<AccessLogRow> accessLog(@QueryParam("from") String from, @QueryParam("to") String to,
                                        @QueryParam("kind") String kind, @QueryParam("who") String who) {
        return accessLog.log(instant("from", from, false), instant("to", to, true), kind, who);
    }

    /** {@code GET /api/me/access-log/proofs?seq=1&seq=2}: inclusion proofs of the patient's own entries (ADR 0019). */
    @GET
    @Path("access-log/proofs")
    public List<health.meridian.web.ledger.InclusionProof.Proof> proofs(@QueryParam("seq") List<Long> seqs) {
        return accessLog.proofs(seqs);
    }

    @GET
    @Path("export")
    @Produces("application/fhir+json")
    public Response export() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(new Date());
        bundle.setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:ietf:rfc:3986")
                .setValue("urn:uuid:" + UUID.randomUUID()));
        for (StoredResource s : summaries.exportOwnRecord()) {
            Resource r = (Resource) resources.of(s);
            bundle.addEntry().setFullUrl("urn:meridian:" + s.key().tenant().value() + ":" + s.key().type() + "/"
                    + s.key().id()).setResource(r);
        }
        return Response.ok(fhir.newJsonParser().encodeResourceToString(bundle))
                .header("Content-Disposition", "attachment; filename=\"my-record.json\"").build();
    }

    private String name(StoredResource s) {
        org.hl7.fhir.r4.model.Patient p = resources.of(s, org.hl7.fhir.r4.model.Patient.class);
        return p.getNameFirstRep().getNameAsSingleString();
    }

    /** A date (YYYY-MM-DD; {@code to} is inclusive) or an ISO-8601 instant. */
    static Instant instant(String field, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.matches("^\\d{4}-\\d{2}-\\d{2}$")) {
                LocalDate d = LocalDate.parse(value);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("EHR-0753 " + field + " must be a date (YYYY-MM-DD) or an instant: "
                    + value);
        }
    }
}
