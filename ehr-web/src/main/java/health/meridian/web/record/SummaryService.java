package health.meridian.web.record;

import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.web.security.AccessContext;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Disclosure;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import health.meridian.web.security.Decision;
import health.meridian.web.security.RecordFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * The content of a patient summary (IPS) and of a patient's full export, read from the system of record in one
 * transaction. Every record is judged by the policy decision point ({@link AccessPolicy#decideForSummary} for the
 * summary, where a redeemed share code also counts; {@link AccessPolicy#decide} for the export), and the access is
 * audited about the patient's person.
 */
@ApplicationScoped
@Transactional
public class SummaryService {

    static final int LIMIT = 20_000;

    @Inject
    RecordRepository records;
    @Inject
    RecordLocator locator;
    @Inject
    AccessContext access;
    @Inject
    AccessBinding binding;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;

    /**
     * The patient, the records of the summary types the caller may see, and the person's other Patient records
     * (at other institutions) that the caller may see, which those records may refer to.
     */
    public record Content(StoredResource patient, List<StoredResource> entries, List<StoredResource> otherPatients) {
    }

    public Optional<Content> summary(String patientId) {
        Caller caller = currentCaller.get();
        AccessFacts facts = access.bindForRead(caller);
        binding.bindSummaryScope();
        Optional<StoredResource> patient = locatePatient(caller, facts, patientId);
        AuditRecord event = AuditRecorder.event(caller, AuditAction.R, "operation", "Patient", patientId);
        if (patient.isEmpty()) {
            audit.refusedRead(event.refused("EHR-0314 not found or not permitted").withDetail("$summary"), "Patient",
                    patientId);
            return Optional.empty();
        }
        StoredResource p = patient.get();
        List<StoredResource> visible = records.compartment(p.personId(), LIMIT).stream()
                .filter(s -> AccessPolicy.SUMMARY_TYPES.contains(s.key().type()))
                .filter(s -> policy.decideForSummary(caller, facts, RecordFacts.of(s)).permitted()).toList();
        List<StoredResource> entries = visible.stream().filter(s -> !"Patient".equals(s.key().type())).toList();
        List<StoredResource> others = visible.stream().filter(s -> "Patient".equals(s.key().type())
                && !s.key().equals(p.key())).toList();
        Decision decision = policy.decideForSummary(caller, facts, RecordFacts.of(p));
        audit.disclosed(event.withPurpose(decision.purpose()).withDetail("$summary"),
                java.util.stream.Stream.concat(java.util.stream.Stream.of(p), visible.stream())
                        .map(Disclosure::of).toList());
        return Optional.of(new Content(p, entries, others));
    }

    /** The whole record of the calling patient, from every institution (data portability). */
    public List<StoredResource> exportOwnRecord() {
        Caller caller = currentCaller.get();
        String person;
        try {
            person = policy.requirePatient(caller);
        } catch (health.meridian.web.security.AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.R, "export", "Patient", null).refused(e.getMessage()));
            throw e;
        }
        AccessFacts facts = access.bindForRead(caller);
        List<StoredResource> all = records.compartment(person, LIMIT).stream()
                .filter(s -> policy.decide(caller, facts, RecordFacts.of(s)).permitted()).toList();
        audit.disclosed(AuditRecorder.event(caller, AuditAction.R, "export", "Patient", null)
                .about(null, person, null).withPurpose("PATRQT").withDetail("export"),
                all.stream().map(Disclosure::of).toList());
        return all;
    }

    /** The Patient records of the calling patient (one per institution holding their record). */
    public List<StoredResource> ownPatientRecords() {
        Caller caller = currentCaller.get();
        String person = policy.requirePatient(caller);
        AccessFacts facts = access.bindForRead(caller);
        return locator.patientRecordsOf(person, caller.tenant().map(TenantId::value).orElse(null)).stream()
                .map(records::current).flatMap(Optional::stream)
                .filter(s -> policy.decide(caller, facts, RecordFacts.of(s)).permitted()).toList();
    }

    private Optional<StoredResource> locatePatient(Caller caller, AccessFacts facts, String id) {
        for (TenantId custodian : locator.custodiansOf("Patient", id)) {
            Optional<StoredResource> current = records.current(new ResourceKey(custodian, "Patient", id))
                    .filter(s -> !s.deleted());
            if (current.isPresent() && policy.decideForSummary(caller, facts, RecordFacts.of(current.get()))
                    .permitted()) {
                return current;
            }
        }
        return Optional.empty();
    }
}
