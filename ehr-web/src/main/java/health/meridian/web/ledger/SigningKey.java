package health.meridian.web.ledger;

import health.meridian.domain.audit.ledger.TreeHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Ed25519 key this app instance signs audit tree heads with: the PKCS#8 PEM file named by
 * {@code meridian.audit.signing-key-file} ({@code MERIDIAN_AUDIT_SIGNING_KEY_FILE}; created there at the first start if
 * absent — {@code ./meridian up} names one in its state directory), or, without one, a key generated at start and kept in memory only (logged as
 * EHR-0725: heads it signed stay verifiable through its registered public key, but the key is lost at restart). The
 * public half is registered in audit_signing_key and published at {@code /.well-known/meridian-audit-keys}.
 */
@ApplicationScoped
public class SigningKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class.getName());

    @Inject
    @ConfigProperty(name = "meridian.audit.signing-key-file")
    Optional<String> keyFile;

    private volatile KeyPair pair;

    public PrivateKey privateKey() {
        return pair().getPrivate();
    }

    public PublicKey publicKey() {
        return pair().getPublic();
    }

    public String keyId() {
        return TreeHead.keyId(publicKey());
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey().getEncoded());
    }

    private KeyPair pair() {
        KeyPair p = pair;
        if (p == null) {
            synchronized (this) {
                if (pair == null) {
                    pair = load();
                }
                p = pair;
            }
        }
        return p;
    }

    private KeyPair load() {
        try {
            if (keyFile.isPresent() && !keyFile.get().isBlank()) {
                Path file = Path.of(keyFile.get());
                if (!Files.exists(file)) {
                    return create(file);
                }
                return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
            }
            LOG.warning("EHR-0725 no audit signing key configured (MERIDIAN_AUDIT_SIGNING_KEY_FILE): signing audit"
                    + " batches with a key generated for this run only");
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("EHR-0726 the audit signing key cannot be read from " + keyFile.orElse("")
                    + ": " + e.getMessage(), e);
        }
    }

    /** A new key written to {@code file} (owner read/write only), as on an installation's first start. */
    private static KeyPair create(Path file) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOG.info("created the audit signing key " + file + " (key id " + TreeHead.keyId(pair.getPublic()) + ")");
        return pair;
    }

    /** An Ed25519 key pair from a PKCS#8 PEM private key (as {@code openssl genpkey -algorithm ed25519} writes). */
    static KeyPair fromPem(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        KeyFactory factory = KeyFactory.getInstance("Ed25519");
        PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        return new KeyPair(publicOf(key), key);
    }

    /** The public key of an Ed25519 private key (JDK 17 has no direct way: derive by signing-key regeneration). */
    private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        byte[] pkcs8 = key.getEncoded();
        byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(255, new FixedSeed(seed));
        return g.generateKeyPair().getPublic();
    }

    /** A SecureRandom that yields the given seed: the JDK's Ed25519 generator draws the 32-byte private key from it. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
