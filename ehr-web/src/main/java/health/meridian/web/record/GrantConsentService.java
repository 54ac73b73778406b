package health.meridian.web.record;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.AccessGrantRepository;
import health.meridian.domain.record.StoredResource;
import health.meridian.web.fhir.GrantConsent;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessSeam.Reading;
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
    AccessSeam seam;
    @Inject
    RecordService records;

    /** {@code GET /fhir/Consent/grant-<id>}. */
    public Optional<AccessGrant> read(String grantId) {
        Reading reading = seam.reading("read", "Consent", GrantConsent.ID_PREFIX + grantId);
        Optional<AccessGrant> found = grants.find(grantId).filter(reading::permitsGrant);
        found.ifPresentOrElse(reading::foundGrant, reading::notFound);
        return found;
    }

    /**
     * The grants of the person of {@code Patient/patientId} that the caller may read. The patient record is read
     * first, through the policy like any read (a caller who may not see the patient gets no grants).
     */
    public List<AccessGrant> ofPatient(String patientId) {
        Optional<String> person = records.read("Patient", patientId).filter(p -> !p.deleted())
                .map(StoredResource::personId);
        if (person.isEmpty()) {
            return List.of();
        }
        Reading reading = seam.reading("search-type", "Consent", null);
        List<AccessGrant> visible = grants.ofPerson(person.get()).stream().filter(reading::permitsGrant).toList();
        reading.describedAs(e -> e.about(null, person.get(), "Patient/" + patientId)
                .withQuery("patient=Patient/" + patientId).withDetail(visible.size() + " grant consent(s)")).answered();
        return visible;
    }
}
