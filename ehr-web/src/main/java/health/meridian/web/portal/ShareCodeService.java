package health.meridian.web.portal;

import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.share.ShareCode;
import health.meridian.domain.share.ShareCodeRepository;
import health.meridian.domain.share.ShareCodeSecret;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.security.AccessDeniedException;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AuditRecorder;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Share codes: a patient issues a one-time code; a clinician or nurse of any institution redeems it and may then
 * read the patient's summary for a few hours. Issuing, withdrawing and redeeming are audited (about the patient's
 * person, so they appear in the patient's access log); failed redemptions are audited and rate-limited.
 */
@ApplicationScoped
@Transactional
public class ShareCodeService {

    @Inject
    ShareCodeRepository codes;
    @Inject
    RecordLocator locator;
    @Inject
    AccessBinding binding;
    @Inject
    TenantBinding tenantBinding;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller currentCaller;
    @Inject
    AuditRecorder audit;
    @Inject
    RedemptionLimiter limiter;

    /** A newly issued code: the secret is shown once, here, and never stored. */
    public record Issued(ShareCode code, String secret) {
    }

    public Issued issue(Duration validity) {
        Caller caller = patient("share-code-create");
        String person = caller.personId().orElseThrow();
        ResourceKey patient = locator.patientRecordsOf(person, caller.tenant().map(t -> t.value()).orElse(null))
                .stream().findFirst().orElseThrow(() -> new IllegalStateException(
                        "EHR-0748 there is no record of you yet to share"));
        ShareCodeSecret secret = ShareCodeSecret.generate();
        ShareCode code = ShareCode.issue(person, patient.tenant().value(), patient.id(), secret, validity,
                Instant.now());
        codes.add(code);
        audit.accessed(event(caller, "share-code-create", code).withDetail("valid until " + code.expiresAt()));
        return new Issued(code, secret.display());
    }

    public List<ShareCode> mine() {
        Caller caller = patient("share-code-list");
        return codes.ofPerson(caller.personId().orElseThrow());
    }

    public ShareCode withdraw(String id) {
        Caller caller = patient("share-code-revoke");
        ShareCode code = codes.find(id).filter(c -> c.personId().equals(caller.personId().orElseThrow()))
                .orElseThrow(() -> new NoSuchElementException("EHR-0749 no share code " + id));
        code.revoke(Instant.now());
        audit.accessed(event(caller, "share-code-revoke", code));
        return code;
    }

    /** Redeems a code for the calling care professional; wrong codes count towards the rate limit. */
    public ShareCode redeem(String typed, String clientAddress) {
        Caller caller = currentCaller.get();
        long attempt;
        try {
            policy.requireShareCodeRedeemer(caller);
            attempt = limiter.reserve(caller.subject(), clientAddress);
        } catch (AccessDeniedException | TooManyAttemptsException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.E, "share-code-redeem", "Patient", null)
                    .refused(e.getMessage()));
            throw e;
        }
        ShareCodeSecret secret = ShareCodeSecret.parse(typed);
        tenantBinding.bind(caller.requireTenant());
        binding.bindPractitioner(caller.practitionerId().orElseThrow());
        binding.bindShareCodeHash(secret.hash());
        Instant now = Instant.now();
        ShareCode code = codes.byHash(secret.hash()).orElse(null);
        if (code == null || !code.isRedeemableAt(now)) {
            throw failed(caller, code);
        }
        limiter.redeemed(caller.subject(), clientAddress, attempt);
        code.redeem(caller.practitionerId().get(), caller.subject(), caller.username(),
                caller.requireTenant().value(), now);
        audit.accessed(event(caller, "share-code-redeem", code).withPurpose("TREAT")
                .withDetail("share code redeemed; summary readable until " + code.accessUntil().orElseThrow()));
        return code;
    }

    /** The attempt stays reserved, i.e. counts as a failure. */
    private RuntimeException failed(Caller caller, ShareCode code) {
        RuntimeException e = code == null
                ? new NoSuchElementException("EHR-0743 this share code is not valid: check it with the patient")
                : new IllegalStateException(code.redeemedAt().isPresent()
                        ? "EHR-0744 this share code was already used: ask the patient for a new one"
                        : code.revokedAt().isPresent() ? "EHR-0744 the patient withdrew this share code"
                        : "EHR-0744 this share code expired at " + code.expiresAt() + ": ask the patient for a new one");
        AuditRecord event = AuditRecorder.event(caller, AuditAction.E, "share-code-redeem", "Patient",
                code == null ? null : code.patientId());
        audit.refused((code == null ? event : event.about(code.patientTenant(), code.personId(),
                "Patient/" + code.patientId())).refused(e.getMessage()));
        return e;
    }

    private Caller patient(String interaction) {
        Caller caller = currentCaller.get();
        try {
            binding.bindPerson(policy.requirePatient(caller));
        } catch (AccessDeniedException e) {
            audit.refused(AuditRecorder.event(caller, AuditAction.E, interaction, "Patient", null)
                    .refused(e.getMessage()));
            throw e;
        }
        return caller;
    }

    private static AuditRecord event(Caller caller, String interaction, ShareCode code) {
        return AuditRecorder.event(caller, AuditAction.E, interaction, "Patient", code.patientId())
                .about(code.patientTenant(), code.personId(), "Patient/" + code.patientId())
                .withPurpose(caller.hasRole("patient") ? "PATADMIN" : "TREAT");
    }
}
