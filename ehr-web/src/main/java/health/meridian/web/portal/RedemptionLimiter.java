package health.meridian.web.portal;

import health.meridian.domain.share.ShareCodeRepository;
import health.meridian.infrastructure.persistence.AccessBinding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The brute-force brake on share codes: at most {@code meridian.share-code.user-failures} (5) failed redemptions per
 * user and {@code meridian.share-code.address-failures} (20) per client address within 15 minutes; then 429 until
 * the window has passed. Failures are counted in PostgreSQL, so every app instance applies the same limit, and are
 * written in a transaction of their own, so they survive the rollback of the failed redemption.
 */
@ApplicationScoped
public class RedemptionLimiter {

    static final Duration WINDOW = Duration.ofMinutes(15);

    @Inject
    ShareCodeRepository codes;
    @Inject
    AccessBinding binding;
    @Inject
    @ConfigProperty(name = "meridian.share-code.user-failures", defaultValue = "5")
    int perUser;
    @Inject
    @ConfigProperty(name = "meridian.share-code.address-failures", defaultValue = "20")
    int perAddress;

    /** In the redemption's transaction: refuses when either count has reached its limit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void check(String subject, String address) {
        binding.bindRedeemer(subject, address);
        Instant since = Instant.now().minus(WINDOW);
        if (codes.failuresBySubject(subject, since) >= perUser || codes.failuresByAddress(address, since) >= perAddress) {
            throw new TooManyAttemptsException("EHR-0747 too many wrong share codes: try again in 15 minutes",
                    WINDOW.toSeconds());
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failed(String subject, String address) {
        codes.recordFailure(subject, address);
    }
}
