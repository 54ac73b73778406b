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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    public record Content(StoredResource patient, List<StoredResource> entries, List<StoredResource> otherPatients,
                          List<StoredResource> referenced) {
        public Content(StoredResource patient, List<StoredResource> entries, List<StoredResource> otherPatients) {
            this(patient, entries, otherPatients, List.of());
        }
    }

    /** What the document is made of (the adapter's): which visible records it holds and what each refers to. */
    public interface DocumentShape {
        /** The records of {@code visible} the document holds. */
        List<StoredResource> selected(List<StoredResource> visible);

        /** The records ({@code Type/id}, at the same institution) a record refers to. */
        Collection<String> referencesOf(StoredResource stored);
    }

    /** Depth of references followed from the document's entries (a Medication's manufacturer is depth 2). */
    static final int REFERENCE_DEPTH = 3;
    static final int MAX_REFERENCED = 500;

    public Optional<Content> summary(String patientId) {
        return summary(patientId, null);
    }

    /**
     * The summary with its references: the records the selected entries refer to (Medications, Practitioners,
     * Organizations, Locations, Encounters, ...), followed {@link #REFERENCE_DEPTH} deep, each judged by the policy
     * like an entry and disclosed with them; what the caller may not see is left out (the document then keeps only
     * the reference's display).
     */
    public Optional<Content> summary(String patientId, DocumentShape shape) {
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
        if (shape != null) {
            entries = shape.selected(entries);
        }
        List<StoredResource> referenced = shape == null ? List.of() : referenced(reading, p, entries, others, shape);
        List<StoredResource> disclosed = new ArrayList<>(List.of(p));
        disclosed.addAll(shape == null ? visible : entries);
        disclosed.addAll(referenced);
        reading.disclosed(disclosed, reading.purposeInSummary(p));
        return Optional.of(new Content(p, entries, others, referenced));
    }

    private List<StoredResource> referenced(Reading reading, StoredResource patient, List<StoredResource> entries,
                                            List<StoredResource> others, DocumentShape shape) {
        Set<ResourceKey> present = new HashSet<>();
        present.add(patient.key());
        entries.forEach(e -> present.add(e.key()));
        others.forEach(o -> present.add(o.key()));
        List<StoredResource> out = new ArrayList<>();
        List<StoredResource> frontier = new ArrayList<>(entries);
        frontier.add(patient);
        binding.bindSummaryDirectory(frontier.stream().map(f -> f.key().tenant().value()).toList());
        for (int depth = 0; depth < REFERENCE_DEPTH && !frontier.isEmpty(); depth++) {
            List<StoredResource> next = new ArrayList<>();
            for (StoredResource from : frontier) {
                for (String ref : shape.referencesOf(from)) {
                    int slash = ref.indexOf('/');
                    ResourceKey key = new ResourceKey(from.key().tenant(), ref.substring(0, slash),
                            ref.substring(slash + 1));
                    if (out.size() < MAX_REFERENCED && present.add(key)) {
                        records.current(key).filter(s -> !s.deleted())
                                .filter(s -> reading.permitsReferencedInSummary(from, s)).ifPresent(next::add);
                    }
                }
            }
            out.addAll(next);
            frontier = next;
        }
        return out;
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
        // As a read by id: the policy decides on the holders' facts (one index probe whether the id is held elsewhere
        // or nowhere, so a refused summary takes as long either way), and only an admitted holder's record is read.
        for (health.meridian.domain.access.RecordLocator.Holder holder : locator.holdersOf("Patient", id)) {
            if (!reading.permitsInSummary("Patient", holder)) {
                continue;
            }
            Optional<StoredResource> current = records.current(new ResourceKey(holder.custodian(), "Patient", id))
                    .filter(s -> !s.deleted());
            if (current.isPresent() && reading.permitsInSummary(current.get())) {
                return current;
            }
        }
        return Optional.empty();
    }
}
