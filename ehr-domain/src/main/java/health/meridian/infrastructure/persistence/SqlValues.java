package health.meridian.infrastructure.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Values of native-query result rows, whichever Java type the driver and EclipseLink hand back for them. */
final class SqlValues {

    private SqlValues() {
    }

    /** A {@code timestamptz} column: null, a Timestamp, an OffsetDateTime, an Instant, or its ISO text. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        return Instant.parse(value.toString());
    }
}
