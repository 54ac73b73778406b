import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Meridian audit inclusion proof offline, with nothing but a JDK (17+):
 *
 * <pre>java infra/audit/VerifyAuditProof.java proof.json [trusted-public-key-base64]</pre>
 *
 * proof.json is one element of {@code GET /api/me/access-log/proofs?seq=N} (what the portal's "Download proof"
 * saves). It checks that (1) the entry's canonical text hashes to the leaf hash (RFC 6962: SHA-256(0x00 || text)),
 * (2) the audit path leads from that leaf to the batch's Merkle root, (3) the signed statement is exactly the tree
 * head's fields, and (4) the Ed25519 signature verifies with the public key — the one given on the command line
 * (fetched earlier from /.well-known/meridian-audit-keys: pin it) or, without one, the key in the proof, whose id
 * must match. Exit 0 and "verified" if all hold, 1 naming the first that fails.
 */
public class VerifyAuditProof {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java VerifyAuditProof.java proof.json [trusted-public-key-base64]");
            System.exit(2);
        }
        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        if (!"true".equals(raw(json, "sealed"))) {
            fail("the entry is not sealed into a signed batch yet: fetch its proof again in a few seconds");
        }
        String entry = string(json, "entry");
        String leafHash = string(json, "leafHash");
        long index = Long.parseLong(raw(json, "leafIndex"));
        long size = Long.parseLong(raw(json, "treeSize"));
        List<String> path = strings(json, "path");
        String head = json.substring(json.indexOf("\"treeHead\""));
        String root = string(head, "root");
        String statement = string(json, "statement");
        String expected = "meridian-audit-tree-head/1\nbatch " + raw(head, "batch") + "\nsize " + raw(head, "size")
                + "\nroot " + root + "\nprevious " + string(head, "previous") + "\nsealed " + string(head, "sealed")
                + "\nkey " + string(head, "key") + "\n";

        HexFormat hex = HexFormat.of();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        byte[] leaf = sha.digest(entry.getBytes(StandardCharsets.UTF_8));
        if (!hex.formatHex(leaf).equals(leafHash)) {
            fail("the entry's text does not hash to its leaf hash (the entry was altered)");
        }
        if (!hex.formatHex(rootFromPath(leaf, index, size, path)).equals(root)) {
            fail("the audit path does not lead to the batch's root (entry " + index + " of " + size + ")");
        }
        if (!statement.equals(expected)) {
            fail("the signed statement is not the tree head's fields");
        }
        String keyText = args.length > 1 ? args[1] : string(json, "publicKey");
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(keyText)));
        String keyId = hex.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded())).substring(0, 16);
        if (!keyId.equals(string(head, "key"))) {
            fail("the tree head names key " + string(head, "key") + ", not the key given (" + keyId + ")");
        }
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(statement.getBytes(StandardCharsets.UTF_8));
        if (!s.verify(Base64.getDecoder().decode(string(json, "signature")))) {
            fail("the signature of the tree head does not verify");
        }
        System.out.println("verified: entry " + raw(json, "seq") + " is leaf " + index + " of signed audit batch "
                + raw(head, "batch") + " (root " + root + ", key " + keyId + ")");
    }

    /** RFC 9162 section 2.1.3.2. */
    static byte[] rootFromPath(byte[] leaf, long index, long size, List<String> path) throws Exception {
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (String p : path) {
            byte[] sibling = HexFormat.of().parseHex(p);
            if (sn == 0) {
                return new byte[0];
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(sibling, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = node(r, sibling);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : new byte[0];
    }

    static byte[] node(byte[] left, byte[] right) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 1);
        sha.update(left);
        return sha.digest(right);
    }

    static void fail(String why) {
        System.out.println("NOT verified: " + why);
        System.exit(1);
    }

    static String raw(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*([^,}\\]\\s]+)").matcher(json);
        if (!m.find()) {
            fail("the proof has no " + field);
        }
        return m.group(1);
    }

    static String string(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            fail("the proof has no " + field);
        }
        return unescape(m.group(1));
    }

    static List<String> strings(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            fail("the proof has no " + field);
        }
        List<String> out = new ArrayList<>();
        Matcher s = Pattern.compile("\"([0-9a-f]{64})\"").matcher(m.group(1));
        while (s.find()) {
            out.add(s.group(1));
        }
        return out;
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(n);
            }
        }
        return out.toString();
    }
}
