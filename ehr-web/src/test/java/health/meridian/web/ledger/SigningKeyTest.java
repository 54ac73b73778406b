package health.meridian.web.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.audit.ledger.TreeHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

    @Test
    void aPkcs8PemKeyAsOpensslWritesItSignsAndItsDerivedPublicKeyVerifies(@TempDir Path dir) throws Exception {
        KeyPair original = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path file = dir.resolve("audit-signing.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(original.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        SigningKey key = new SigningKey();
        key.keyFile = Optional.of(file.toString());
        assertThat(key.publicKey().getEncoded()).isEqualTo(original.getPublic().getEncoded());
        TreeHead head = new TreeHead(1, 1, "ab".repeat(32), TreeHead.GENESIS, Instant.parse("2026-12-06T12:00:00Z"),
                key.keyId());
        assertThat(head.verify(head.sign(key.privateKey()), original.getPublic())).isTrue();
        assertThat(head.verify(head.sign(key.privateKey()), TreeHead.publicKey(key.publicKeyBase64()))).isTrue();
    }

    @Test
    void withoutAFileAKeyIsGeneratedForTheRun() {
        SigningKey key = new SigningKey();
        key.keyFile = Optional.empty();
        assertThat(key.keyId()).matches("[0-9a-f]{16}");
    }
}
