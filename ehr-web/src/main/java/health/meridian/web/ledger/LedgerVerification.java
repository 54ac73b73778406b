package health.meridian.web.ledger;

import health.meridian.domain.audit.AuditTrail;
import health.meridian.domain.audit.ChainVerdict;
import health.meridian.domain.audit.ledger.LedgerVerifier;
import health.meridian.infrastructure.persistence.JpaAuditLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The whole audit trail verified: the legacy hash chain up to the V15 cut-over, then every sealed batch of the ledger
 * ({@link LedgerVerifier}); entries left unsealed longer than {@code meridian.audit.unsealed-alarm-ms} (default 2 s,
 * twenty sealing intervals) are an alarm in the verdict's note. The caller decides who may run it (the seam).
 */
@ApplicationScoped
public class LedgerVerification {

    @Inject
    AuditTrail trail;
    @Inject
    JpaAuditLedger ledger;
    @Inject
    @ConfigProperty(name = "meridian.audit.unsealed-alarm-ms", defaultValue = "2000")
    long alarmMillis;

    public ChainVerdict verify() {
        ChainVerdict legacy = trail.verifyChain();
        if (!legacy.intact()) {
            return new ChainVerdict(false, legacy.rowsChecked(), legacy.brokenAt(), "legacy hash chain: "
                    + legacy.problem(), legacy.headSeq(), null);
        }
        LedgerVerifier.Verdict v = LedgerVerifier.verify(ledger, Instant.now(), Duration.ofMillis(alarmMillis));
        String note = v.batches() + " signed batch(es) checked"
                + (v.alarms().isEmpty() ? "" : "; alarm: " + String.join("; ", v.alarms()));
        return new ChainVerdict(v.intact(), v.intact() ? Math.max(legacy.rowsChecked(), v.entries()) : v.entries(),
                v.brokenAtSeq(), v.problem(), legacy.headSeq(), note);
    }
}
