package health.meridian.web.portal;

import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.share.ShareCode;
import health.meridian.domain.share.ShareCodeRepository;
import health.meridian.domain.share.ShareCodeSecret;
import health.meridian.infrastructure.persistence.AccessBinding;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.Caller;
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
    AccessPolicy policy;
    @Inject
    AccessSeam seam;
    @Inject
    RedemptionLimiter limiter;

    /** A newly issued code: the secret is shown once, here, and never stored. */
    public record Issued(ShareCode code, String secret) {
    }

    public Issued issue(Duration validity) {
        AccessSeam.Acting acting = patient(AuditAction.E, "share-code-create");
        Caller caller = acting.caller();
        String person = acting.person();
        ResourceKey patient = locator.patientRecordsOf(person, caller.tenant().map(t -> t.value()).orElse(null))
                .stream().findFirst().orElseThrow(() -> new IllegalStateException(
                        "EHR-0748 there is no record of you yet to share"));
        ShareCodeSecret secret = ShareCodeSecret.generate();
        ShareCode code = ShareCode.issue(person, patient.tenant().value(), patient.id(), secret, validity,
                Instant.now());
        codes.add(code);
        acting.done(e -> describe(e, caller, code).withDetail("valid until " + code.expiresAt()));
        return new Issued(code, secret.display());
    }

    public List<ShareCode> mine() {
        AccessSeam.Acting acting = patient(AuditAction.R, "share-code-list");
        List<ShareCode> mine = codes.ofPerson(acting.person());
        acting.done(e -> e.about(null, acting.person(), null).withPurpose("PATADMIN")
                .withDetail(mine.size() + " share codes"));
        return mine;
    }

    public ShareCode withdraw(String id) {
        AccessSeam.Acting acting = patient(AuditAction.E, "share-code-revoke");
        ShareCode code = codes.find(id).filter(c -> c.personId().equals(acting.person()))
                .orElseThrow(() -> new NoSuchElementException("EHR-0749 no share code " + id));
        codes.lockAndRefresh(code); // one decision at a time per code, on every instance
        code.revoke(Instant.now());
        acting.done(e -> describe(e, acting.caller(), code));
        return code;
    }

    /** Redeems a code for the calling care professional; wrong codes count towards the rate limit. */
    public ShareCode redeem(String typed, String clientAddress) {
        long[] attempt = new long[1];
        AccessSeam.Acting acting = seam.acting(AuditAction.E, "share-code-redeem", "Patient", null, c -> {
            policy.requireShareCodeRedeemer(c);
            attempt[0] = limiter.reserve(c.subject(), clientAddress);
            return AccessSeam.Bound.tenant(c.requireTenant());
        });
        Caller caller = acting.caller();
        ShareCodeSecret secret = ShareCodeSecret.parse(typed);
        binding.bindPractitioner(caller.practitionerId().orElseThrow());
        binding.bindShareCodeHash(secret.hash());
        ShareCode code = codes.byHash(secret.hash()).orElse(null);
        if (code != null) {
            codes.lockAndRefresh(code); // parallel redemptions on any instances: one redeems, the others see it used
        }
        Instant now = Instant.now();
        if (code == null || !code.isRedeemableAt(now)) {
            throw failed(acting, code);
        }
        limiter.redeemed(caller.subject(), clientAddress, attempt[0]);
        code.redeem(caller.practitionerId().get(), caller.subject(), caller.username(),
                caller.requireTenant().value(), now);
        acting.done(e -> describe(e, caller, code).withPurpose("TREAT")
                .withDetail("share code redeemed; summary readable until " + code.accessUntil().orElseThrow()));
        return code;
    }

    /** The attempt stays reserved, i.e. counts as a failure. */
    private RuntimeException failed(AccessSeam.Acting acting, ShareCode code) {
        RuntimeException e = code == null
                ? new NoSuchElementException("EHR-0743 this share code is not valid: check it with the patient")
                : new IllegalStateException(code.redeemedAt().isPresent()
                        ? "EHR-0744 this share code was already used: ask the patient for a new one"
                        : code.revokedAt().isPresent() ? "EHR-0744 the patient withdrew this share code"
                        : "EHR-0744 this share code expired at " + code.expiresAt() + ": ask the patient for a new one");
        return acting.refused(e, event -> code == null ? event : event.withResource("Patient", code.patientId())
                .about(code.patientTenant(), code.personId(), "Patient/" + code.patientId()));
    }

    /** The patient's own use case, through the seam (the patient portal: {@link AccessPolicy#requirePatient}). */
    private AccessSeam.Acting patient(AuditAction action, String interaction) {
        return seam.acting(action, interaction, "Patient", null,
                caller -> AccessSeam.Bound.person(policy.requirePatient(caller)));
    }

    private static AuditRecord describe(AuditRecord event, Caller caller, ShareCode code) {
        return event.withResource("Patient", code.patientId())
                .about(code.patientTenant(), code.personId(), "Patient/" + code.patientId())
                .withPurpose(caller.hasRole("patient") ? "PATADMIN" : "TREAT");
    }
}
