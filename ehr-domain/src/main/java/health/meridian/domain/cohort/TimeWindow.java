package health.meridian.domain.cohort;

import java.time.LocalDate;

/**
 * When a record's effective time must fall: absolute ({@code from} inclusive, {@code to} exclusive, either open) or
 * relative to the index date ({@code daysBefore} days before it up to the index date, exclusive of the day after).
 */
public record TimeWindow(LocalDate from, LocalDate to, Integer daysBefore) {

    public static final TimeWindow ANY = new TimeWindow(null, null, null);

    public TimeWindow {
        if (daysBefore != null && (from != null || to != null)) {
            throw new InvalidCohortException("EHR-0813 a time window is either from/to or daysBefore, not both");
        }
        if (daysBefore != null && (daysBefore < 0 || daysBefore > 36_500)) {
            throw new InvalidCohortException("EHR-0813 daysBefore must be between 0 and 36500");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidCohortException("EHR-0813 a time window's from must be before its to");
        }
    }

    /** The start (inclusive) at this index date, or null if open. */
    public LocalDate start(LocalDate indexDate) {
        return daysBefore != null ? indexDate.minusDays(daysBefore) : from;
    }

    /** The end (exclusive) at this index date, or null if open. */
    public LocalDate end(LocalDate indexDate) {
        return daysBefore != null ? indexDate.plusDays(1) : to;
    }
}
