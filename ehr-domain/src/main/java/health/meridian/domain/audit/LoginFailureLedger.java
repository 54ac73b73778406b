package health.meridian.domain.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * What has been imported from the identity provider, durably: each event's key (so an event is audited once, also
 * after a restart or by several app instances) and so the time to resume from.
 */
public interface LoginFailureLedger {

    /** The time of the newest imported event, if any. */
    Optional<Instant> latest();

    /** Records the event as imported in the current transaction; false if it already was (then skip it). */
    boolean claim(String eventKey, Instant time);
}
