package health.meridian.domain.share;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Share codes. Row-level security shows the patient their own codes, a clinician a code only by its hash (the code
 * they present) or after they redeemed it.
 */
public interface ShareCodeRepository {

    void add(ShareCode code);

    Optional<ShareCode> find(String id);

    /** The code whose hash the transaction presents (the caller must have bound that hash first). */
    Optional<ShareCode> byHash(String hash);

    List<ShareCode> ofPerson(String personId);

    /**
     * Takes the code's transaction lock (in PostgreSQL, so it holds across app instances) and reads the code again:
     * redemptions and withdrawals of one code are decided one after the other, each on the state the previous one
     * committed. Without it two redemptions running side by side both saw an unredeemed code and both answered
     * success (the second one's update then matched no row and changed nothing).
     */
    void lockAndRefresh(ShareCode code);

    /**
     * The codes this practitioner of this institution redeemed, not withdrawn and still giving access at {@code now}:
     * whose summary they may read, and until when (an instance keeps them across requests and judges each request
     * at its own instant, ADR 0035).
     */
    List<Redeemed> redeemedBy(String practitioner, String tenant, Instant now);

    /** A redeemed code as the access facts need it: whose summary, until when. */
    record Redeemed(String personId, Instant accessUntil) {

        public boolean grantsAccessAt(Instant now) {
            return accessUntil.isAfter(now);
        }
    }

    /**
     * Reserves one redemption attempt by {@code subject} from {@code address}, atomically: counted and recorded
     * under a lock per subject and per address, so parallel attempts cannot pass the limits. Empty when the
     * attempts since {@code since} that did not redeem a code already reach {@code perSubject} or
     * {@code perAddress}; otherwise the attempt's id, which counts as a failure unless {@link #attemptRedeemed}.
     */
    OptionalLong reserveAttempt(String subject, String address, Instant since, int perSubject, int perAddress);

    /** The reserved attempt redeemed a code: it no longer counts towards the limit. */
    void attemptRedeemed(long attempt);
}
