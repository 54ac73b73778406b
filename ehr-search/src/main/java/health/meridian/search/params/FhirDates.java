package health.meridian.search.params;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FHIR date, dateTime or instant as the range of instants it covers at its own precision (R4 search: "1985" is
 * all of 1985, "2024-10-11T09:00:00Z" is that second). Values without a time zone — dates, partial dates and a
 * dateTime written without an offset — are read in {@link #ZONE} (the server's zone in R4's words), both in
 * resources and in search parameters, so a date-only parameter selects exactly the date-only values of that day;
 * a value with an offset is an instant and is compared as such.
 */
public final class FhirDates {

    /** The zone of values that carry none. Meridian's servers run on UTC; see docs/search.md. */
    public static final ZoneOffset ZONE = ZoneOffset.UTC;

    private static final Pattern DATE = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
            + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

    /** An inclusive range of epoch milliseconds; a null bound is open. */
    public record Span(Long low, Long high) {
    }

    private FhirDates() {
    }

    /** The range a date/dateTime/instant string covers, or empty if it is not one. */
    public static Optional<Span> span(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = DATE.matcher(value.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(span(m));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Span span(Matcher m) {
        int year = Integer.parseInt(m.group(1));
        int month = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        int hour = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        String fraction = m.group(7);
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        LocalDateTime start = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        LocalDateTime end;
        if (m.group(2) == null) {
            end = start.plusYears(1);
        } else if (m.group(3) == null) {
            end = start.plusMonths(1);
        } else if (m.group(4) == null) {
            end = start.plusDays(1);
        } else if (m.group(6) == null) {
            end = start.plusMinutes(1);
        } else if (fraction == null) {
            end = start.plusSeconds(1);
        } else {
            end = start.plus(Math.max(1, (long) Math.pow(10, 9 - Math.min(fraction.length(), 9))), ChronoUnit.NANOS);
        }
        ZoneOffset zone = m.group(8) == null ? ZONE : ZoneOffset.of(m.group(8));
        long low = start.toInstant(zone).toEpochMilli();
        long high = Math.max(low, end.toInstant(zone).toEpochMilli() - 1);
        return new Span(low, high);
    }
}
