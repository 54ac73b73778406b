package health.meridian.web.security;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.AccessGrantRepository;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.tenant.InstitutionRepository;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.AccessBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A patient's access grants: create, list, revoke (at once). Only the patient (token person_id) manages their own
 * grants; every change is audited (action E) in the same transaction, refusals in their own.
 */
@ApplicationScoped
@Transactional
public class GrantService {

    @Inject
    AccessGrantRepository grants;
    @Inject
    InstitutionRepository institutions;
    @Inject
    AccessBinding binding;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;

    /** What a patient asks for; {@code start} null means now, {@code end} null means until revoked. */
    public record GrantRequest(String practitioner, String institution, String scope, Set<String> categories,
                               String purpose, Instant start, Instant end) {
    }

    public AccessGrant create(GrantRequest request) {
        String person = patient("grant-create");
        Grantee grantee = granteeOf(request);
        AccessGrant grant = AccessGrant.grant(person, grantee,
                new GrantScope(request.scope() == null ? GrantScope.EXCLUDE_SENSITIVE : request.scope(),
                        request.categories()),
                request.purpose() == null ? "TREAT" : request.purpose(),
                request.start() == null ? Instant.now() : request.start(), request.end());
        grants.add(grant);
        audit.accessed(event("grant-create", grant));
        return grant;
    }

    public List<AccessGrant> mine() {
        return grants.ofPerson(patient("grant-list"));
    }

    public AccessGrant revoke(String id) {
        String person = patient("grant-revoke");
        AccessGrant grant = grants.find(id).filter(g -> g.personId().equals(person))
                .orElseThrow(() -> new NoSuchElementException("EHR-0612 no grant " + id));
        grant.revoke(Instant.now());
        audit.accessed(event("grant-revoke", grant));
        return grant;
    }

    private Grantee granteeOf(GrantRequest request) {
        boolean practitioner = request.practitioner() != null && !request.practitioner().isBlank();
        boolean institution = request.institution() != null && !request.institution().isBlank();
        if (practitioner == institution) {
            throw new IllegalArgumentException("EHR-0601 a grant needs exactly one grantee: a practitioner or an"
                    + " institution");
        }
        if (practitioner) {
            return Grantee.practitioner(request.practitioner());
        }
        TenantId tenant = TenantId.of(request.institution());
        institutions.find(tenant).orElseThrow(() ->
                new IllegalArgumentException("EHR-0611 unknown institution " + tenant));
        return Grantee.institution(tenant);
    }

    private String patient(String interaction) {
        Caller caller = currentCaller.get();
        if (!caller.hasRole("patient") || caller.personId().isEmpty()) {
            AccessDeniedException e = new AccessDeniedException("EHR-0600 only a patient manages access grants");
            audit.refused(AuditRecorder.event(caller, AuditAction.E, interaction, "Consent", null)
                    .refused(e.getMessage()));
            throw e;
        }
        binding.bindPerson(caller.personId().get());
        return caller.personId().get();
    }

    private AuditRecord event(String interaction, AccessGrant grant) {
        return AuditRecorder.event(currentCaller.get(), AuditAction.E, interaction, "Consent", grant.id())
                .about(null, grant.personId(), null).withPurpose("PATADMIN")
                .withDetail("grantee " + grant.grantee().practitionerId().orElse("")
                        + grant.grantee().institution().map(TenantId::value).orElse("") + ", scope "
                        + grant.scope().kind());
    }
}
