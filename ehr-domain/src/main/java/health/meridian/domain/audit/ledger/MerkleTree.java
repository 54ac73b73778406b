package health.meridian.domain.audit.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Merkle tree hashes and inclusion proofs exactly as RFC 6962 (Certificate Transparency) defines them: a leaf hash is
 * SHA-256(0x00 || data), an interior node SHA-256(0x01 || left || right), and a tree of n leaves splits at the
 * largest power of two below n (so a tree is never padded). A sealed audit batch is one such tree over its entries'
 * canonical texts; anyone can recompute it, and an inclusion proof shows one entry is in a signed root.
 */
public final class MerkleTree {

    private static final HexFormat HEX = HexFormat.of();

    private MerkleTree() {
    }

    /** The leaf hash of {@code data}. */
    public static byte[] leafHash(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        sha.update(data);
        return sha.digest();
    }

    /** The leaf hash of an audit entry's canonical text (UTF-8). */
    public static byte[] leafHash(String canonical) {
        return leafHash(canonical.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The root over leaf hashes (in order); the empty tree's root is SHA-256 of nothing. */
    public static byte[] root(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return sha256().digest();
        }
        return root(leaves, 0, leaves.size());
    }

    private static byte[] root(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(root(leaves, from, from + k), root(leaves, from + k, to));
    }

    /** The audit path of leaf {@code index}: the sibling hashes from the leaf up to the root (RFC 6962 PATH). */
    public static List<byte[]> inclusionProof(List<byte[]> leaves, int index) {
        if (index < 0 || index >= leaves.size()) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + leaves.size());
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, 0, leaves.size(), index, path);
        return path;
    }

    private static void path(List<byte[]> leaves, int from, int to, int index, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (index - from < k) {
            path(leaves, from, from + k, index, out);
            out.add(root(leaves, from + k, to));
        } else {
            path(leaves, from + k, to, index, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /**
     * Does {@code proof} show that {@code leafHash} is leaf {@code index} of a tree of {@code size} leaves with root
     * {@code root}? (RFC 9162 section 2.1.3.2, the verification of an inclusion proof.)
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
