package health.meridian.web.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.meridian.web.record.GrantConsentService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;

/**
 * FHIR Consent: the interactions and search of {@link RecordResourceProvider} for Consents stored as records (e.g.
 * research consents), plus the read-only Consent view of patients' access grants ({@link GrantConsent}):
 * {@code GET /fhir/Consent/grant-<id>}, and on the first page of {@code GET /fhir/Consent?patient=…[&status=…]} the
 * grants of that patient's person that the caller may read (other search criteria match stored Consents only).
 */
@Dependent
public class ConsentResourceProvider extends RecordResourceProvider<Consent> {

    /** Search parameters a grant's Consent view is matched against; any other criterion leaves grants out. */
    private static final Set<String> GRANT_CRITERIA = Set.of("patient", "status");

    @Inject
    GrantConsentService grants;

    @Override
    public Class<Consent> getResourceType() {
        return Consent.class;
    }

    @Override
    protected Optional<Consent> projection(IdType id) {
        if (!GrantConsent.isGrantConsent("Consent", id.getIdPart())) {
            return Optional.empty();
        }
        if (id.hasVersionIdPart()) {
            throw new ResourceNotFoundException(id);
        }
        return Optional.of(grants.read(GrantConsent.grantId(id.getIdPart()))
                .map(g -> GrantConsent.of(g, Instant.now()))
                .orElseThrow(() -> new ResourceNotFoundException(id)));
    }

    @Override
    protected IBundleProvider withProjections(Map<String, String[]> params, IBundleProvider firstPage) {
        String[] patient = params.get("patient");
        boolean otherCriteria = params.keySet().stream()
                .anyMatch(p -> !p.startsWith("_") && !GRANT_CRITERIA.contains(p));
        if (patient == null || patient.length != 1 || otherCriteria) {
            return firstPage;
        }
        String id = patient[0].startsWith("Patient/") ? patient[0].substring("Patient/".length()) : patient[0];
        List<String> statuses = codes(params.get("status"));
        Instant now = Instant.now();
        List<IBaseResource> consents = grants.ofPatient(id).stream().map(g -> GrantConsent.of(g, now))
                .filter(c -> statuses.isEmpty() || statuses.contains(c.getStatus().toCode()))
                .map(IBaseResource.class::cast).toList();
        return consents.isEmpty() ? firstPage : new ResourcesFirst(consents, firstPage);
    }

    private static List<String> codes(String[] values) {
        if (values == null) {
            return List.of();
        }
        return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(",")))
                .map(v -> v.substring(v.indexOf('|') + 1)).filter(v -> !v.isBlank()).toList();
    }
}
