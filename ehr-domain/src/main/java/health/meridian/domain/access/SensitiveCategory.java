package health.meridian.domain.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sensitive information categories (HL7 v3-ActCode, carried as meta.security labels and stored as
 * {@code system|code} in the record envelope). Mirrors {@code meridian_sensitive_code} in V3.
 */
public final class SensitiveCategory {

    public static final Set<String> CODES = Set.of("ETH", "GDIS", "HIV", "MST", "PSY", "PSYTHPN", "SCA", "SDV",
            "SEX", "SICKLE", "STD", "SUD", "TBOO", "BH");

    private SensitiveCategory() {
    }

    /** The sensitive category of one label ({@code system|code}), if it is one. */
    public static Optional<String> of(String label) {
        int bar = label == null ? -1 : label.lastIndexOf('|');
        String code = bar < 0 ? label : label.substring(bar + 1);
        return code != null && CODES.contains(code) ? Optional.of(code) : Optional.empty();
    }

    public static Set<String> in(List<String> labels) {
        return Set.copyOf(labels.stream().map(SensitiveCategory::of).flatMap(Optional::stream).toList());
    }
}
