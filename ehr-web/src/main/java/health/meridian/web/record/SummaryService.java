package health.meridian.web.record;

import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.record.RecordRepository;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessSeam.Reading;
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
    AccessBinding binding;
    @Inject
    AccessSeam seam;

    /**
     * The patient, the records of the summary types the caller may see, and the person's other Patient records
     * (at other institutions) that the caller may see, which those records may refer to.
     */
    public record Content(StoredResource patient, List<StoredResource> entries, List<StoredResource> otherPatients) {
    }

    public Optional<Content> summary(String patientId) {
        Reading reading = seam.reading("operation", "Patient", patientId).describedAs(e -> e.withDetail("$summary"));
        binding.bindSummaryScope();
        Optional<StoredResource> patient = locatePatient(reading, patientId);
        if (patient.isEmpty()) {
            reading.notFound("Patient", patientId);
            return Optional.empty();
        }
        StoredResource p = patient.get();
        List<StoredResource> visible = records.compartment(p.personId(), LIMIT).stream()
                .filter(s -> AccessPolicy.SUMMARY_TYPES.contains(s.key().type()))
                .filter(reading::permitsInSummary).toList();
        List<StoredResource> entries = visible.stream().filter(s -> !"Patient".equals(s.key().type())).toList();
        List<StoredResource> others = visible.stream().filter(s -> "Patient".equals(s.key().type())
                && !s.key().equals(p.key())).toList();
        reading.disclosed(java.util.stream.Stream.concat(java.util.stream.Stream.of(p), visible.stream()).toList(),
                reading.purposeInSummary(p));
        return Optional.of(new Content(p, entries, others));
    }

    /** The whole record of the calling patient, from every institution (data portability). */
    public List<StoredResource> exportOwnRecord() {
        Reading reading = seam.reading("export", "Patient", null).describedAs(e -> e.withDetail("export"));
        String person = reading.requirePatient();
        List<StoredResource> all = records.compartment(person, LIMIT).stream().filter(reading::permits).toList();
        reading.describedAs(e -> e.about(null, person, null)).disclosed(all, "PATRQT");
        return all;
    }

    /** The Patient records of the calling patient (one per institution holding their record). */
    public List<StoredResource> ownPatientRecords() {
        Reading reading = seam.reading("read", "Patient", null);
        String person = reading.requirePatient();
        return locator.patientRecordsOf(person, reading.caller().tenant().map(TenantId::value).orElse(null)).stream()
                .map(records::current).flatMap(Optional::stream).filter(reading::permits).toList();
    }

    private Optional<StoredResource> locatePatient(Reading reading, String id) {
        for (TenantId custodian : locator.custodiansOf("Patient", id)) {
            Optional<StoredResource> current = records.current(new ResourceKey(custodian, "Patient", id))
                    .filter(s -> !s.deleted());
            if (current.isPresent() && reading.permitsInSummary(current.get())) {
                return current;
            }
        }
        return Optional.empty();
    }
}
