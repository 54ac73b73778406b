package health.meridian.domain.audit.ledger;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the sealed audit ledger from what the database holds, naming the first entry or batch that is wrong:
 * every batch follows the previous one, chains to its head's hash and carries a valid signature of a known key; its
 * leaves are exactly its size, in seq order, each recomputed from the entry as it is now (an altered entry changes its
 * leaf hash, a removed one has none) and together give the signed root; every entry of the trail is in a batch or
 * still queued (one in neither was inserted behind the sealer's back). Entries queued for longer than
 * {@code alarmAfter} are reported as an alarm (the sealer is not keeping up or is down), not as tampering.
 */
public final class LedgerVerifier {

    /** A signed tree head as stored. */
    public record SealRow(long batch, int size, String root, String previous, Instant sealedAt, String keyId,
                          String signature) {
        TreeHead head() {
            return new TreeHead(batch, size, root, previous, sealedAt, keyId);
        }
    }

    /** One sealed leaf, with the leaf hash recomputed from its entry now ({@code null}: the entry is gone). */
    public record LeafRow(long batch, int leafIndex, long seq, String leafHash, String recomputed) {
    }

    /** An entry in no batch: queued since {@code queuedAt} (null: never queued); {@code inTrail} false: row gone. */
    public record UnsealedRow(long seq, Instant queuedAt, boolean inTrail) {
    }

    /** Where the verifier reads the ledger (batch ranges keep memory bounded on a long ledger). */
    public interface Source {
        List<SealRow> seals();

        List<LeafRow> leaves(long fromBatch, long toBatch);

        List<UnsealedRow> unsealed();

        Map<String, PublicKey> keys();
    }

    /** The verdict: intact, or the first broken entry (seq) or batch and what is wrong there; alarms either way. */
    public record Verdict(boolean intact, long entries, long batches, Long brokenAtSeq, Long brokenAtBatch,
                          String problem, List<String> alarms) {

        @Override
        public String toString() {
            String a = alarms.isEmpty() ? "" : "; alarm: " + String.join("; ", alarms);
            return intact ? "audit ledger intact: " + entries + " entries in " + batches + " signed batches" + a
                    : "EHR-0724 audit ledger broken" + (brokenAtSeq != null ? " at seq " + brokenAtSeq : "")
                    + (brokenAtBatch != null ? " (batch " + brokenAtBatch + ")" : "") + ": " + problem + a;
        }
    }

    private static final int CHUNK = 200;

    private LedgerVerifier() {
    }

    public static Verdict verify(Source source, Instant now, Duration alarmAfter) {
        List<SealRow> seals = source.seals();
        Map<String, PublicKey> keys = source.keys();
        List<String> alarms = new ArrayList<>();
        String previous = TreeHead.GENESIS;
        long expected = 1;
        long entries = 0;
        for (int from = 0; from < seals.size(); from += CHUNK) {
            List<SealRow> chunk = seals.subList(from, Math.min(seals.size(), from + CHUNK));
            Map<Long, List<LeafRow>> byBatch = new LinkedHashMap<>();
            for (LeafRow l : source.leaves(chunk.get(0).batch(), chunk.get(chunk.size() - 1).batch())) {
                byBatch.computeIfAbsent(l.batch(), b -> new ArrayList<>()).add(l);
            }
            for (SealRow seal : chunk) {
                List<LeafRow> leaves = byBatch.getOrDefault(seal.batch(), List.of());
                Long firstSeq = leaves.isEmpty() ? null : leaves.get(0).seq();
                if (seal.batch() != expected) {
                    return broken(entries, expected - 1, null, expected, "batch " + expected
                            + " is missing (the next stored batch is " + seal.batch() + ")", alarms);
                }
                TreeHead head = seal.head();
                if (!seal.previous().equals(previous)) {
                    return broken(entries, expected - 1, firstSeq, seal.batch(), "the head of batch " + seal.batch()
                            + " does not chain to the head of the batch before it (a head altered, removed or"
                            + " inserted)", alarms);
                }
                PublicKey key = keys.get(seal.keyId());
                if (key == null || !head.verify(seal.signature(), key)) {
                    return broken(entries, expected - 1, firstSeq, seal.batch(), key == null
                            ? "batch " + seal.batch() + " is signed by an unknown key " + seal.keyId()
                            : "the signature of batch " + seal.batch() + " does not verify (its head was altered)",
                            alarms);
                }
                String leafProblem = leafProblem(seal, leaves);
                if (leafProblem != null) {
                    return broken(entries, expected - 1, seqOf(seal, leaves), seal.batch(), leafProblem, alarms);
                }
                previous = head.hash();
                expected++;
                entries += seal.size();
            }
        }
        for (UnsealedRow u : source.unsealed()) {
            if (!u.inTrail()) {
                return broken(entries, expected - 1, u.seq(), null, "entry " + u.seq()
                        + " was queued for sealing and is gone from the trail (removed)", alarms);
            }
            if (u.queuedAt() == null) {
                return broken(entries, expected - 1, u.seq(), null, "entry " + u.seq()
                        + " is in no sealed batch and was never queued (inserted behind the ledger's back)", alarms);
            }
            if (u.queuedAt().isBefore(now.minus(alarmAfter))) {
                alarms.add("entry " + u.seq() + " unsealed since " + u.queuedAt() + " (sealing interval "
                        + alarmAfter.toMillis() + " ms)");
                if (alarms.size() >= 10) {
                    break;
                }
            }
        }
        return new Verdict(true, entries, expected - 1, null, null, null, List.copyOf(alarms));
    }

    /** What is wrong with a batch's leaves, or null. */
    private static String leafProblem(SealRow seal, List<LeafRow> leaves) {
        if (leaves.size() != seal.size()) {
            return "batch " + seal.batch() + " holds " + leaves.size() + " entries, its signed head says "
                    + seal.size() + " (an entry's seal was removed or inserted)";
        }
        List<byte[]> hashes = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            LeafRow l = leaves.get(i);
            if (l.leafIndex() != i) {
                return "batch " + seal.batch() + " has no leaf " + i;
            }
            if (i > 0 && l.seq() <= leaves.get(i - 1).seq()) {
                return "entry " + l.seq() + " is out of seq order in batch " + seal.batch() + " (reordered)";
            }
            if (l.recomputed() == null) {
                return "entry " + l.seq() + " was sealed in batch " + seal.batch() + " and is gone (removed)";
            }
            if (!l.recomputed().equals(l.leafHash())) {
                return "entry " + l.seq() + " no longer matches what batch " + seal.batch() + " sealed (altered)";
            }
            hashes.add(MerkleTree.unhex(l.leafHash()));
        }
        if (!MerkleTree.hex(MerkleTree.root(hashes)).equals(seal.root())) {
            return "the leaves stored for batch " + seal.batch() + " do not give its signed root (a leaf was altered)";
        }
        return null;
    }

    /** The seq a leaf problem is about: the first leaf that is wrong, else the batch's first entry. */
    private static Long seqOf(SealRow seal, List<LeafRow> leaves) {
        for (int i = 0; i < leaves.size(); i++) {
            LeafRow l = leaves.get(i);
            if (l.leafIndex() != i || (i > 0 && l.seq() <= leaves.get(i - 1).seq()) || l.recomputed() == null
                    || !l.recomputed().equals(l.leafHash())) {
                return l.seq();
            }
        }
        return leaves.isEmpty() ? null : leaves.get(0).seq();
    }

    private static Verdict broken(long entries, long batches, Long seq, Long batch, String problem,
                                  List<String> alarms) {
        return new Verdict(false, entries, batches, seq, batch, problem, List.copyOf(alarms));
    }
}
