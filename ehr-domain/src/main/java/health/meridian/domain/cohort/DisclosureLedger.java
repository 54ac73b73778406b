package health.meridian.domain.cohort;

import health.meridian.domain.cohort.DifferencingGuard.Disclosure;
import java.time.Instant;
import java.util.List;

/**
 * What the {@link DifferencingGuard} remembers of each aggregate-only user: their answers (a sketch of the persons
 * counted) and refusals, shared by every application instance.
 */
public interface DisclosureLedger {

    /**
     * Takes the user's lock until the transaction ends (so that two queries of one user on two instances are judged
     * one after the other) and returns the user's disclosures since {@code since}, newest first, at most
     * {@code limit}.
     */
    List<Disclosure> lockAndRead(String subject, Instant since, int limit);

    /** The user's disclosures since {@code since}, newest first, at most {@code limit}, without locking. */
    List<Disclosure> read(String subject, Instant since, int limit);

    void add(String subject, Disclosure disclosure);
}
