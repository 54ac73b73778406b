package health.meridian.domain.share;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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

    /** Persons whose codes this practitioner of this institution redeemed and may still read. */
    List<String> personsSharedWith(String practitioner, String tenant, Instant now);

    /** Failed redemptions since {@code since} by this subject, and from this client address. */
    long failuresBySubject(String subject, Instant since);

    long failuresByAddress(String address, Instant since);

    void recordFailure(String subject, String address);
}
