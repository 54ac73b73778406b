package health.meridian.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SMART EHR launch values (ADR 0028). A launch from the chart names the launch patient (FHIR id and person), the
 * clinician (token subject), the institution, the app (client id) and an expiry, signed with HMAC-SHA256 under the
 * platform's launch key (V24; it never leaves Meridian). The value is
 * {@code base64url("1|patient|encounter|person|tenant|subject|client|expiresAt") "." base64url(mac)}. The app passes it
 * to Keycloak as {@code launch}; Meridian's Keycloak provider relays it into the access token ({@code smart_launch},
 * with {@code smart_launch_at}, when Keycloak first redeemed it). On each request {@link #verify} admits it only when
 * the signature holds, it was made for this user, this app and this institution, the token's {@code patient} claim is
 * its patient, and Keycloak redeemed it before it expired. Anything else gives the token no launch context (its
 * {@code patient/} scopes then reach nothing: ADR 0025).
 */
@ApplicationScoped
public class SmartLaunches {

    /** A verified (or just made) launch: the launch patient's FHIR id and person, and for whom it was made. */
    public record Launch(String patient, String encounter, String person, String tenant, String subject,
                         String client, long expiresAt) {
    }

    private static final Pattern FIELD = Pattern.compile("[^|\\s]{1,200}");
    private static final Pattern SHAPE = Pattern.compile("([A-Za-z0-9_-]{1,1400})\\.([A-Za-z0-9_-]{43})");

    @PersistenceContext(unitName = "meridian")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "meridian.smart.launch-seconds", defaultValue = "300")
    long launchSeconds;

    private volatile byte[] key;

    /** A new launch value for {@code launch} (its expiry set from now). */
    public String create(String patient, String person, String tenant, String subject, String client, Instant now) {
        return create(patient, null, person, tenant, subject, client, now);
    }

    /** As {@link #create(String, String, String, String, String, Instant)}, with an encounter context (or null). */
    public String create(String patient, String encounter, String person, String tenant, String subject,
                         String client, Instant now) {
        return sign(key(), new Launch(patient, encounter, person, tenant, subject, client,
                now.getEpochSecond() + launchSeconds));
    }

    /** The launch {@code value} names, if it is genuine and was made for this token (see the class comment). */
    public Optional<Launch> verify(String value, String subject, String client, String tenant, String patientClaim,
                                   long redeemedAt) {
        return verify(key(), value, subject, client, tenant, patientClaim, redeemedAt);
    }

    static String sign(byte[] key, Launch l) {
        for (String f : new String[] {l.patient(), l.person(), l.tenant(), l.subject(), l.client()}) {
            if (f == null || !FIELD.matcher(f).matches()) {
                throw new IllegalArgumentException("EHR-1151 a launch cannot name '" + f + "'");
            }
        }
        if (l.encounter() != null && !FIELD.matcher(l.encounter()).matches()) {
            throw new IllegalArgumentException("EHR-1151 a launch cannot name '" + l.encounter() + "'");
        }
        String payload = String.join("|", "1", l.patient(), l.encounter() == null ? "" : l.encounter(), l.person(),
                l.tenant(), l.subject(), l.client(), Long.toString(l.expiresAt()));
        String body = b64(payload.getBytes(StandardCharsets.UTF_8));
        return body + "." + b64(mac(key, body));
    }

    static Optional<Launch> verify(byte[] key, String value, String subject, String client, String tenant,
                                   String patientClaim, long redeemedAt) {
        if (value == null) {
            return Optional.empty();
        }
        var m = SHAPE.matcher(value);
        if (!m.matches() || !MessageDigest.isEqual(mac(key, m.group(1)), unb64(m.group(2)))) {
            return Optional.empty();
        }
        String[] p = new String(unb64(m.group(1)), StandardCharsets.UTF_8).split("\\|", -1);
        if (p.length != 8 || !"1".equals(p[0]) || !p[7].matches("\\d{1,12}")) {
            return Optional.empty();
        }
        Launch l = new Launch(p[1], p[2].isEmpty() ? null : p[2], p[3], p[4], p[5], p[6], Long.parseLong(p[7]));
        boolean forThisToken = l.subject().equals(subject) && l.client().equals(client) && l.tenant().equals(tenant)
                && l.patient().equals(patientClaim);
        return forThisToken && redeemedAt > 0 && redeemedAt <= l.expiresAt() ? Optional.of(l) : Optional.empty();
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            String secret = (String) em.createNativeQuery("SELECT secret FROM smart_launch_key WHERE id = 1")
                    .getSingleResult();
            k = secret.getBytes(StandardCharsets.UTF_8);
            key = k;
        }
        return k;
    }

    private static byte[] mac(byte[] key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unb64(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
