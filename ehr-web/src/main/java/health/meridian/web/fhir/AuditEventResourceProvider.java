package health.meridian.web.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.meridian.web.security.AuditQueryService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

/**
 * Read-only FHIR view of the audit trail: {@code GET /fhir/AuditEvent/<seq>} and
 * {@code GET /fhir/AuditEvent?patient=Patient/x&date=ge...}. Tenant admins of the institution, the patient
 * themself (their own entries) and platform admins (platform-level entries, e.g. failed logins); everyone else is
 * refused. No create, update or delete exists.
 */
@Dependent
public class AuditEventResourceProvider implements IResourceProvider {

    private static final int DEFAULT_COUNT = 50;

    @Inject
    AuditQueryService audit;

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id) {
        long seq;
        try {
            seq = Long.parseLong(id.getIdPart());
        } catch (NumberFormatException e) {
            throw new ResourceNotFoundException(id);
        }
        return audit.entry(seq).map(AuditEvents::toFhir).orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search
    public List<AuditEvent> search(@OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
                                   @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
                                   @Count Integer count) {
        String patientRef = patient == null ? null : "Patient/" + patient.getIdPart();
        Instant from = date == null || date.getLowerBoundAsInstant() == null ? null
                : date.getLowerBoundAsInstant().toInstant();
        Instant to = date == null || date.getUpperBoundAsInstant() == null ? null
                : date.getUpperBoundAsInstant().toInstant();
        return audit.search(patientRef, from, to, count == null ? DEFAULT_COUNT : count).stream()
                .map(AuditEvents::toFhir).toList();
    }
}
