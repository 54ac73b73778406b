package health.meridian.domain.cohort;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Refuses differencing by aggregate-only callers, judged on the sets of persons their answers counted, whatever the
 * criteria (a tautology, a change of operators, two saved cohorts): an answer is refused when its persons differ
 * from those of an answer the same user was given within {@link #WINDOW} by 1 to {@link PersonSetSketch#MAX_DIFFERENCE}
 * persons, or by none at all unless it is a rerun of the same definition (or both are empty). So the refusal does
 * not tell whether the persons in between are 0 or 3: both are refused alike. After {@link #LOCK_OUT_AFTER} refusals
 * within the window every query is refused until the oldest of them leaves the window (i2b2's lock-out). Pure: the
 * recent disclosures come from a {@link DisclosureLedger}.
 */
public final class DifferencingGuard {

    public static final Duration WINDOW = Duration.ofHours(24);
    public static final int HISTORY = 500;
    public static final int LOCK_OUT_AFTER = 5;
    public static final String NEAR = "EHR-0830 refused: the persons this query counts are the same as, or differ by"
            + " fewer than 5 from, those of a query you were answered in the last 24 hours";
    public static final String LOCKED = "EHR-0831 refused: cohort queries are suspended after " + LOCK_OUT_AFTER
            + " refused queries within 24 hours";

    /**
     * One answer (or refusal) given to a user: the key of what was asked (definition and index date), the persons
     * counted (null for a refusal) and when.
     */
    public record Disclosure(String definition, PersonSetSketch persons, Instant at) {

        public static Disclosure refusal(String definition, Instant at) {
            return new Disclosure(definition, null, at);
        }

        public boolean refused() {
            return persons == null;
        }
    }

    /** The lock-out refusal, if the user was refused too often within the window. */
    public Optional<String> lockOut(List<Disclosure> recent, Instant now) {
        long refusals = recent.stream().filter(d -> d.refused() && within(d, now)).count();
        return refusals >= LOCK_OUT_AFTER ? Optional.of(LOCKED) : Optional.empty();
    }

    /** The refusal, if answering {@code persons} for {@code definition} could isolate persons against a recent one. */
    public Optional<String> check(List<Disclosure> recent, String definition, PersonSetSketch persons, Instant now) {
        for (Disclosure past : recent) {
            if (!past.refused() && within(past, now) && near(past, definition, persons)) {
                return Optional.of(NEAR);
            }
        }
        return Optional.empty();
    }

    private static boolean near(Disclosure past, String definition, PersonSetSketch persons) {
        OptionalInt difference = persons.difference(past.persons());
        if (difference.isEmpty()) {
            return false;
        }
        if (difference.getAsInt() > 0) {
            return true;
        }
        boolean rerun = past.definition().equals(definition);
        boolean bothEmpty = persons.size() == 0;
        return !rerun && !bothEmpty;
    }

    private static boolean within(Disclosure d, Instant now) {
        return d.at().isAfter(now.minus(WINDOW));
    }
}
