package health.meridian.domain.audit.ledger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * The signed head of one sealed audit batch: its number, how many entries it seals, their Merkle root, the hash of
 * the previous batch's head (so the heads form a chain, as a signed tree head log does), when it was sealed and
 * which key signed it. The signed bytes are {@link #statement()}: a short UTF-8 text anyone can rebuild.
 */
public record TreeHead(long batch, int size, String root, String previous, Instant sealedAt, String keyId) {

    /** The hash a first batch names as its previous head. */
    public static final String GENESIS = "0".repeat(64);

    public TreeHead {
        if (batch < 1 || size < 1 || !root.matches("[0-9a-f]{64}") || !previous.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("EHR-0720 malformed tree head " + batch);
        }
    }

    /** The exact bytes signed, one field per line. */
    public String statement() {
        return "meridian-audit-tree-head/1\nbatch " + batch + "\nsize " + size + "\nroot " + root + "\nprevious "
                + previous + "\nsealed " + sealedAt + "\nkey " + keyId + "\n";
    }

    /** The hash the next batch names as its previous head: SHA-256 of the statement. */
    public String hash() {
        return MerkleTree.hex(MerkleTree.sha256().digest(statement().getBytes(StandardCharsets.UTF_8)));
    }

    /** Ed25519 signature of the statement, base64. */
    public String sign(PrivateKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(statement().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EHR-0721 cannot sign the audit tree head: " + e.getMessage(), e);
        }
    }

    public boolean verify(String signature, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(statement().getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** An Ed25519 public key from its X.509 (SubjectPublicKeyInfo) encoding, base64. */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("EHR-0722 not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** A key's id: the first 16 hex digits of SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        return MerkleTree.hex(MerkleTree.sha256().digest(key.getEncoded())).substring(0, 16);
    }
}
