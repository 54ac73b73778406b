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

    /** The canonical form of {@code value unit}, if the unit is a valid UCUM code. */
    public static Optional<Canonical> canonical(BigDecimal value, String unit) {
        if (value == null || unit == null || unit.isBlank() || SERVICE.validate(unit) != null) {
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
