package health.meridian.web.record;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.AccessGrantRepository;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.fhir.GrantConsent;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Reading access grants as FHIR Consents: the grant by id, or the grants of a patient. Row-level security shows a
 * caller only the grants they are party to; {@link AccessPolicy#decideGrantRead} decides (the patient who made
 * it, the grantee practitioner, clinicians and nurses of the grantee institution). Audited like record reads.
 */
@ApplicationScoped
@Transactional
public class GrantConsentService {

    @Inject
    AccessGrantRepository grants;
    @Inject
    AccessContext access;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;
    @Inject
    RecordService records;

    /** {@code GET /fhir/Consent/grant-<id>}. */
    public Optional<AccessGrant> read(String grantId) {
        Caller caller = currentCaller.get();
        access.bindForRead(caller);
        Optional<AccessGrant> found = grants.find(grantId)
                .filter(g -> policy.decideGrantRead(caller, g).permitted());
        AuditRecord event = AuditRecorder.event(caller, AuditAction.R, "read", "Consent",
                GrantConsent.ID_PREFIX + grantId);
        audit.accessed(found.map(g -> event.about(null, g.personId(), null)
                        .withPurpose(policy.decideGrantRead(caller, g).purpose()))
                .orElseGet(() -> event.refused("EHR-0314 not found or not permitted")));
        return found;
    }

    /**
     * The grants of the person of {@code Patient/patientId} that the caller may read. The patient record is read
     * first, through the policy like any read (a caller who may not see the patient gets no grants).
     */
    public List<AccessGrant> ofPatient(String patientId) {
        Caller caller = currentCaller.get();
        Optional<String> person = records.read("Patient", patientId).filter(p -> !p.deleted())
                .map(StoredResource::personId);
        if (person.isEmpty()) {
            return List.of();
        }
        List<AccessGrant> visible = grants.ofPerson(person.get()).stream()
                .filter(g -> policy.decideGrantRead(caller, g).permitted()).toList();
        audit.accessed(AuditRecorder.event(caller, AuditAction.R, "search-type", "Consent", null)
                .about(null, person.get(), "Patient/" + patientId).withQuery("patient=Patient/" + patientId)
                .withDetail(visible.size() + " grant consent(s)"));
        return visible;
    }
}
