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
 * the window has passed. Attempts are counted in PostgreSQL, so every app instance applies the same limit; each is
 * reserved atomically before the code is checked (V13), so parallel guesses cannot exceed the limit.
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

    /**
     * Reserves the attempt in a short transaction of its own, before the code is looked at: it counts as a failure
     * (and survives the failed redemption's rollback) unless {@link #redeemed} marks it. Refuses when either limit
     * is reached; parallel attempts are counted one after the other.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long reserve(String subject, String address) {
        binding.bindRedeemer(subject, address);
        return codes.reserveAttempt(subject, address, Instant.now().minus(WINDOW), perUser, perAddress)
                .orElseThrow(() -> new TooManyAttemptsException(
                        "EHR-0747 too many wrong share codes: try again in 15 minutes", WINDOW.toSeconds()));
    }

    /** In the redemption's transaction: the attempt redeemed a code and no longer counts as a failure. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void redeemed(String subject, String address, long attempt) {
        binding.bindRedeemer(subject, address);
        codes.attemptRedeemed(attempt);
    }
}
