package health.meridian.domain.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret a patient hands over: 10 characters of Crockford base32 (50 bits from a {@link SecureRandom}), shown
 * as {@code XXXXX-XXXXX}. Typing is forgiving (case, spaces, hyphens, I/L read as 1, O as 0); only the SHA-256 of the
 * normalised code is ever stored.
 */
public final class ShareCodeSecret {

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public static final int LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String normalised;

    private ShareCodeSecret(String normalised) {
        this.normalised = normalised;
    }

    public static ShareCodeSecret generate() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new ShareCodeSecret(b.toString());
    }

    /** The code as typed; refuses what cannot be a code (so a typo is not counted as a guess of someone's code). */
    public static ShareCodeSecret parse(String typed) {
        String s = typed == null ? "" : typed.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s-]", "")
                .replace('I', '1').replace('L', '1').replace('O', '0');
        if (s.length() != LENGTH || !s.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("EHR-0741 a share code has 10 letters and digits, like 7KQ2M-X9D4T");
        }
        return new ShareCodeSecret(s);
    }

    /** As shown to the patient: {@code XXXXX-XXXXX}. */
    public String display() {
        return normalised.substring(0, 5) + "-" + normalised.substring(5);
    }

    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "ShareCodeSecret[hidden]";
    }
}
