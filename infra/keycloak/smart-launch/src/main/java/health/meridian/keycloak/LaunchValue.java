package health.meridian.keycloak;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The launch context a SMART launch value names, read without verifying it (ADR 0028). Meridian signs the value
 * ({@code base64url(payload) "." base64url(HMAC-SHA256)}, payload {@code 1|patient|encounter|...}) with a key only
 * Meridian holds, and verifies it again on every request that carries it: Keycloak only relays it. A forged or
 * altered value makes the token response name a patient, but gives the token no context at Meridian (the app then
 * reads nothing with its {@code patient/} scopes), so relaying is safe.
 */
public record LaunchValue(String value, String patient, Optional<String> encounter) {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,1400}\\.[A-Za-z0-9_-]{20,100}");
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /** The value's context, or empty when it is not of the launch value's shape or names no patient. */
    public static Optional<LaunchValue> parse(String value) {
        if (value == null || !SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(value.substring(0, value.indexOf('.'))),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\|", -1);
        if (parts.length < 3 || !"1".equals(parts[0]) || !FHIR_ID.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        Optional<String> encounter = FHIR_ID.matcher(parts[2]).matches() ? Optional.of(parts[2]) : Optional.empty();
        return Optional.of(new LaunchValue(value, parts[1], encounter));
    }
}
