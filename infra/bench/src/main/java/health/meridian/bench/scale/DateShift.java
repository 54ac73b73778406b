package health.meridian.bench.scale;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/** Moves FHIR date and dateTime/instant strings by a number of days, keeping their precision and offset. */
final class DateShift {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    private final long days;

    DateShift(long days) {
        this.days = days;
    }

    /** The shifted value if {@code text} is a full date or dateTime; empty for anything else. */
    Optional<String> apply(String text) {
        if (text.length() == 10 && DATE.matcher(text).matches()) {
            return Optional.of(LocalDate.parse(text).plusDays(days).toString());
        }
        if (text.length() >= 20 && DATE_TIME.matcher(text).matches()) {
            return Optional.of(OffsetDateTime.parse(text).plusDays(days).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        return Optional.empty();
    }
}
