package health.meridian.migrations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Recomputes the audit hash chain (see {@code V2__audit_trail.sql}) and reports the first row that breaks it.
 * Pure: rows come in ordered by seq; the caller reads them from the database ({@link AuditVerify}).
 *
 * <p>Each row must have seq = previous seq + 1 (otherwise a row is missing or the order was changed), prev_hash =
 * the previous row's hash (otherwise rows were removed or reordered), and hash = sha256(prev_hash | canonical)
 * (otherwise the row's content was altered). The chain head (last seq and hash) detects a removed tail.
 */
public final class AuditChainVerifier {

    /** The hash before the first row. */
    public static final String GENESIS = "0".repeat(64);

    /** One stored audit row, with its fields in canonical order ({@code fields.get(0)} is seq). */
    public record ChainRow(long seq, List<String> fields, String prevHash, String hash) {
    }

    /** The outcome: intact, or the first broken seq with what is wrong there. */
    public record Verdict(boolean intact, long rows, Long brokenAt, String problem) {

        static Verdict ok(long rows) {
            return new Verdict(true, rows, null, null);
        }

        static Verdict broken(long rows, long seq, String problem) {
            return new Verdict(false, rows, seq, problem);
        }

        @Override
        public String toString() {
            return intact ? "audit chain intact: " + rows + " row(s)"
                    : "EHR-0702 audit chain broken at seq " + brokenAt + ": " + problem;
        }
    }

    private AuditChainVerifier() {
    }

    public static Verdict verify(Iterable<ChainRow> rows, long headSeq, String headHash) {
        long expectedSeq = 1;
        String previous = GENESIS;
        long count = 0;
        for (ChainRow row : rows) {
            Optional<String> problem = check(row, expectedSeq, previous);
            if (problem.isPresent()) {
                return Verdict.broken(count, Math.min(row.seq(), expectedSeq), problem.get());
            }
            previous = row.hash();
            expectedSeq++;
            count++;
        }
        if (headSeq != count || !previous.equals(headHash)) {
            return Verdict.broken(count, count + 1, "missing row(s): the chain head is at seq " + headSeq);
        }
        return Verdict.ok(count);
    }

    private static Optional<String> check(ChainRow row, long expectedSeq, String previous) {
        if (row.seq() != expectedSeq) {
            return Optional.of("expected seq " + expectedSeq + ", found seq " + row.seq() + " (missing or reordered)");
        }
        if (!row.prevHash().equals(previous)) {
            return Optional.of("prev_hash does not match the previous row (removed or reordered)");
        }
        if (!row.hash().equals(hash(previous, row.fields()))) {
            return Optional.of("hash does not match the row's content (altered)");
        }
        return Optional.empty();
    }

    /** sha256(prev | canonical(fields)) as lower-case hex, exactly as the database trigger computes it. */
    public static String hash(String previous, List<String> fields) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((previous + "|" + canonical(fields)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fields joined by '|', each as {@code <length in characters>:<value>} or '-' for NULL. */
    static String canonical(List<String> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String v = fields.get(i);
            if (i > 0) {
                out.append('|');
            }
            out.append(v == null ? "-" : v.codePointCount(0, v.length()) + ":" + v);
        }
        return out.toString();
    }
}
