package health.meridian.search.params;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.Pair;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

/**
 * UCUM canonical forms ({@code org.fhir:ucum}, the library HAPI's validator uses): a quantity in a UCUM unit is
 * indexed and searched in its canonical unit as well, so {@code 83.3||g} finds {@code 0.0833 kg}.
 */
public final class Ucum {

    public static final String SYSTEM = "http://unitsofmeasure.org";

    private static final UcumEssenceService SERVICE = load();

    /** A value in a canonical unit. */
    public record Canonical(double value, String unit) {
    }

    private Ucum() {
    }

    private static UcumEssenceService load() {
        try (InputStream essence = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            return new UcumEssenceService(essence);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UcumException e) {
            throw new IllegalStateException("EHR-0251 UCUM definitions unreadable", e);
        }
    }

    /**
     * A unit's conversion to its canonical unit, {@code canonical = value × factor + offset}, learnt once per unit:
     * the library parses and normalises the unit on every call, which made it most of the search mirror's CPU in a
     * bulk load (every Observation's valueQuantity). Units whose conversion is not of that shape (none is expected;
     * checked at a third point) and invalid units are remembered as such.
     */
    private record Linear(BigDecimal factor, BigDecimal offset, String unit) {
        boolean usable() {
            return factor != null;
        }
    }

    /** Not a valid UCUM unit. */
    private static final Linear INVALID = new Linear(null, null, null);
    /** Valid, but its conversion is not linear: converted value by value. */
    private static final Linear NOT_LINEAR = new Linear(null, null, "");

    private static final int MAX_CACHED_UNITS = 10_000;
    private static final java.util.Map<String, Linear> LINEAR = new java.util.concurrent.ConcurrentHashMap<>();

    /** The canonical form of {@code value unit}, if the unit is a valid UCUM code. */
    public static Optional<Canonical> canonical(BigDecimal value, String unit) {
        if (value == null || unit == null || unit.isBlank()) {
            return Optional.empty();
        }
        Linear l = LINEAR.get(unit);
        if (l == null) {
            l = linear(unit);
            if (LINEAR.size() < MAX_CACHED_UNITS) {
                LINEAR.put(unit, l);
            }
        }
        if (l.usable()) {
            return Optional.of(new Canonical(value.multiply(l.factor()).add(l.offset()).doubleValue(), l.unit()));
        }
        return l == INVALID ? Optional.empty() : exact(value, unit);
    }

    private static Linear linear(String unit) {
        if (SERVICE.validate(unit) != null) {
            return INVALID;
        }
        try {
            Pair zero = SERVICE.getCanonicalForm(new Pair(new Decimal("0"), unit));
            Pair one = SERVICE.getCanonicalForm(new Pair(new Decimal("1"), unit));
            Pair seven = SERVICE.getCanonicalForm(new Pair(new Decimal("7.25"), unit));
            BigDecimal offset = new BigDecimal(zero.getValue().asDecimal());
            BigDecimal factor = new BigDecimal(one.getValue().asDecimal()).subtract(offset);
            BigDecimal expected = new BigDecimal("7.25").multiply(factor).add(offset);
            if (!one.getCode().equals(zero.getCode()) || new BigDecimal(seven.getValue().asDecimal())
                    .compareTo(expected) != 0) {
                return NOT_LINEAR;
            }
            return new Linear(factor, offset, one.getCode());
        } catch (UcumException | RuntimeException e) {
            return NOT_LINEAR;
        }
    }

    /** The library's own conversion of one value (units not learnt as linear; tests compare against it). */
    static Optional<Canonical> exactForTest(BigDecimal value, String unit) {
        return exact(value, unit);
    }

    private static Optional<Canonical> exact(BigDecimal value, String unit) {
        if (SERVICE.validate(unit) != null) {
            return Optional.empty();
        }
        try {
            Pair p = SERVICE.getCanonicalForm(new Pair(new Decimal(value.toPlainString()), unit));
            return Optional.of(new Canonical(Double.parseDouble(p.getValue().asDecimal()), p.getCode()));
        } catch (UcumException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
