package health.meridian.domain.cohort;

import java.util.Arrays;

/** An observation's quantity compared with a value, in one unit (UCUM code or unit text as recorded). */
public record ValueFilter(Comparator comparator, double value, String unit) {

    public enum Comparator {
        GT, GE, LT, LE, EQ;

        public static Comparator parse(String s) {
            return Arrays.stream(values()).filter(c -> c.name().equalsIgnoreCase(s)).findFirst()
                    .orElseThrow(() -> new InvalidCohortException("EHR-0809 unknown comparator: " + s
                            + " (gt, ge, lt, le, eq)"));
        }

        public boolean test(double actual, double expected) {
            return switch (this) {
                case GT -> actual > expected;
                case GE -> actual >= expected;
                case LT -> actual < expected;
                case LE -> actual <= expected;
                case EQ -> actual == expected;
            };
        }
    }

    public ValueFilter {
        if (comparator == null) {
            throw new InvalidCohortException("EHR-0809 a value comparison needs a comparator (gt, ge, lt, le, eq)");
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new InvalidCohortException("EHR-0809 a value comparison needs a finite number");
        }
        if (unit == null || unit.isBlank()) {
            throw new InvalidCohortException("EHR-0809 a value comparison names its unit");
        }
    }
}
