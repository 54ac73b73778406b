package health.meridian.domain.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.audit.ledger.LedgerVerifier.LeafRow;
import health.meridian.domain.audit.ledger.LedgerVerifier.SealRow;
import health.meridian.domain.audit.ledger.LedgerVerifier.UnsealedRow;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ledger of three signed batches built as the sealer builds it, then tampered with one way at a time. */
class LedgerVerifierTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private KeyPair key;
    private final List<SealRow> seals = new ArrayList<>();
    private final List<LeafRow> leaves = new ArrayList<>();
    private final Map<Long, String> entries = new TreeMap<>();
    private final List<UnsealedRow> unsealed = new ArrayList<>();

    @BeforeEach
    void ledger() throws Exception {
        key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        for (long seq = 1; seq <= 12; seq++) {
            entries.put(seq, "entry " + seq);
        }
        // out of seq order across batches, as when a transaction commits late: 5 is sealed in the third batch
        seal(List.of(1L, 2L, 3L, 4L));
        seal(List.of(6L, 7L, 8L));
        seal(List.of(5L, 9L, 10L, 11L));
        unsealed.add(new UnsealedRow(12, NOW.minusMillis(50), true));
    }

    private void seal(List<Long> seqs) {
        String previous = seals.isEmpty() ? TreeHead.GENESIS : seals.get(seals.size() - 1).head().hash();
        long batch = seals.size() + 1;
        List<byte[]> hashes = seqs.stream().map(s -> MerkleTree.leafHash(entries.get(s))).toList();
        TreeHead head = new TreeHead(batch, seqs.size(), MerkleTree.hex(MerkleTree.root(hashes)), previous,
                NOW.minusSeconds(60 - batch), TreeHead.keyId(key.getPublic()));
        seals.add(new SealRow(batch, seqs.size(), head.root(), previous, head.sealedAt(), head.keyId(),
                head.sign(key.getPrivate())));
        for (int i = 0; i < seqs.size(); i++) {
            leaves.add(new LeafRow(batch, i, seqs.get(i), MerkleTree.hex(hashes.get(i)), null));
        }
    }

    private LedgerVerifier.Verdict verify() {
        return LedgerVerifier.verify(new LedgerVerifier.Source() {
            @Override
            public List<SealRow> seals() {
                return seals;
            }

            @Override
            public List<LeafRow> leaves(long from, long to) {
                return leaves.stream().filter(l -> l.batch() >= from && l.batch() <= to)
                        .map(l -> new LeafRow(l.batch(), l.leafIndex(), l.seq(), l.leafHash(),
                                entries.containsKey(l.seq()) ? MerkleTree.hex(MerkleTree.leafHash(entries.get(l.seq())))
                                        : null)).toList();
            }

            @Override
            public List<UnsealedRow> unsealed() {
                return unsealed;
            }

            @Override
            public Map<String, PublicKey> keys() {
                return Map.of(TreeHead.keyId(key.getPublic()), key.getPublic());
            }
        }, NOW, Duration.ofSeconds(2));
    }

    @Test
    void anUntouchedLedgerVerifiesWithItsLateCommittedEntry() {
        LedgerVerifier.Verdict v = verify();
        assertThat(v.intact()).as(v.toString()).isTrue();
        assertThat(v.entries()).isEqualTo(11);
        assertThat(v.batches()).isEqualTo(3);
        assertThat(v.alarms()).isEmpty();
    }

    @Test
    void anAlteredEntryIsNamed() {
        entries.put(7L, "entry 7, edited");
        assertThat(verify().brokenAtSeq()).isEqualTo(7);
        assertThat(verify().problem()).contains("altered");
    }

    @Test
    void aRemovedEntryIsNamed() {
        entries.remove(9L);
        assertThat(verify().brokenAtSeq()).isEqualTo(9);
        assertThat(verify().problem()).contains("removed");
    }

    @Test
    void anEntryInsertedBehindTheSealersBackIsNamed() {
        entries.put(13L, "entry 13");
        unsealed.add(new UnsealedRow(13, null, true));
        assertThat(verify().brokenAtSeq()).isEqualTo(13);
        assertThat(verify().problem()).contains("inserted");
    }

    @Test
    void aQueuedEntryThatVanishedIsNamed() {
        unsealed.set(0, new UnsealedRow(12, NOW.minusMillis(50), false));
        assertThat(verify().brokenAtSeq()).isEqualTo(12);
    }

    @Test
    void reorderedLeavesAreNamed() {
        LeafRow a = leaves.get(4);
        LeafRow b = leaves.get(5);
        leaves.set(4, new LeafRow(a.batch(), a.leafIndex(), b.seq(), b.leafHash(), null));
        leaves.set(5, new LeafRow(b.batch(), b.leafIndex(), a.seq(), a.leafHash(), null));
        assertThat(verify().brokenAtBatch()).isEqualTo(2);
        assertThat(verify().problem()).contains("reordered");
    }

    @Test
    void anAlteredRootOrSignatureOrChainIsNamedAtItsBatch() {
        SealRow s = seals.get(1);
        seals.set(1, new SealRow(s.batch(), s.size(), "ab".repeat(32), s.previous(), s.sealedAt(), s.keyId(),
                s.signature()));
        assertThat(verify().brokenAtBatch()).isEqualTo(2);
        assertThat(verify().problem()).contains("signature");
        seals.set(1, new SealRow(s.batch(), s.size(), s.root(), s.previous(), s.sealedAt(), s.keyId(),
                seals.get(0).signature()));
        assertThat(verify().brokenAtBatch()).isEqualTo(2);
        seals.set(1, s);
        seals.remove(1);
        assertThat(verify().problem()).contains("batch 2 is missing");
    }

    @Test
    void aStoredLeafHashRewrittenWithItsEntryStillBreaksTheSignedRoot() {
        entries.put(3L, "entry 3, edited");
        LeafRow l = leaves.get(2);
        leaves.set(2, new LeafRow(l.batch(), l.leafIndex(), l.seq(), MerkleTree.hex(MerkleTree.leafHash(entries
                .get(3L))), null));
        assertThat(verify().brokenAtBatch()).isEqualTo(1);
        assertThat(verify().problem()).contains("signed root");
    }

    @Test
    void anEntryLeftUnsealedTooLongIsAnAlarmNotTampering() {
        unsealed.set(0, new UnsealedRow(12, NOW.minusSeconds(30), true));
        LedgerVerifier.Verdict v = verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.alarms()).singleElement().asString().contains("entry 12 unsealed");
    }
}
