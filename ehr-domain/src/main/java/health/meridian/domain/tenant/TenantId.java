package health.meridian.domain.tenant;

import java.util.Objects;
import java.util.regex.Pattern;

/** The code of an institution (tenant), e.g. {@code nl-amstel}. Only ever taken from a validated token or a row. */
public final class TenantId {

    private static final Pattern FORMAT = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    private final String value;

    private TenantId(String value) {
        this.value = value;
    }

    public static TenantId of(String value) {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("EHR-0101 invalid tenant id: " + value);
        }
        return new TenantId(value);
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TenantId other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
