package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.audit.ledger.MerkleTree;
import health.meridian.domain.audit.ledger.TreeHead;
import health.meridian.migrations.AuditChainVerifier.Verdict;
import health.meridian.migrations.AuditVerify;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #21: the audit ledger. Appends take no shared lock and are sealed into signed Merkle batches within a second;
 * concurrent appenders and a competing sealer produce one consistent ledger (every entry sealed exactly once); a
 * tampered head or signature is named at its batch; the patient's inclusion proof verifies — in the test, and with the
 * documented offline command — against a key fetched from /.well-known/meridian-audit-keys, and fails for a forged
 * entry; another patient's entries have no proof for her.
 */
@ExtendWith(ArquillianExtension.class)
class AuditLedgerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
    }

    /**
     * Two app instances on one database (issue #21, "multi-node safe"): a second Payara Micro with the same WAR and
     * settings is started beside the test's, audited searches go to both at once, and both instances' sealers run —
     * the one holding the database lock seals each round. The result is one ledger: every entry of the run in exactly
     * one leaf, batches numbered without gap and chained, the whole trail verified intact.
     */
    @Test
    void twoAppInstancesAppendingAndSealingMakeOneLedger() throws Exception {
        try (health.meridian.web.it.AppInstance second = health.meridian.web.it.AppInstance.start(base, "ledger",
                java.util.Map.of())) {
            String one = health.meridian.web.it.TestStack.app(base);
            String two = second.app();
            assertThat(two).isNotEqualTo(one);
            String token = AccessFixtures.token("dr.jansen");
            long before = lastSeq();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> answered = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String app = t % 2 == 0 ? one : two;
                answered.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 15; i++) {
                        if (health.meridian.web.it.TestStack.get(app + "/fhir/Patient?family=LedgerTwoInstances"
                                + i, token).statusCode() == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int[] perInstance = new int[2];
            for (int t = 0; t < answered.size(); t++) {
                perInstance[t % 2] += answered.get(t).get();
            }
            pool.shutdown();
            assertThat(perInstance).as("both instances answered every audited search").containsExactly(60, 60);
            long last = lastSeq();
            assertThat(last - before).as("one audit entry per search at least").isGreaterThanOrEqualTo(120);
            try (Connection c = AccessFixtures.owner()) {
                AuditTrailIT.awaitSealed(c, last);
                try (PreparedStatement s = c.prepareStatement("SELECT count(*), count(DISTINCT l.seq),"
                        + " count(DISTINCT l.batch) FROM audit_seal_leaf l WHERE l.seq > ? AND l.seq <= ?")) {
                    s.setLong(1, before);
                    s.setLong(2, last);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next(); // awaitSealed: no committed entry up to `last` is left out of a batch
                        assertThat(rs.getLong(1)).as("every entry of the run sealed once").isEqualTo(rs.getLong(2))
                                .isGreaterThanOrEqualTo(120);
                    }
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT count(*), max(batch) - min(batch) + 1 FROM audit_seal")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("batches numbered without gap: no fork").isEqualTo(rs.getLong(2));
                }
                Verdict v = AuditVerify.verify(c);
                assertThat(v.intact()).as(v.toString()).isTrue();
            }
        }
    }

    @Test
    void concurrentAppendersAndACompetingSealerMakeOneLedgerWithEveryEntrySealedOnce() throws Exception {
        try (Connection rival = AccessFixtures.owner()) {
            long before = lastSeq();
            try (Statement s = rival.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + 0x4d45524944494e4cL + ")");
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    try (Connection app = AccessFixtures.app(); PreparedStatement s = app.prepareStatement(
                            "INSERT INTO audit_event (subject, username, roles,"
                                    + " action, interaction, outcome) VALUES ("
                                    + "'it-ledger', 'it-ledger', '', 'E', 'it-ledger-append', '0')")) {
                        for (int i = 0; i < 25; i++) {
                            s.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            Thread.sleep(500);
            assertThat(unsealedAfter(before)).as("the rival holds the sealer's lock: nothing sealed meanwhile")
                    .isGreaterThanOrEqualTo(200);
            try (Statement s = rival.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + 0x4d45524944494e4cL + ")");
            }
        }
        long last = lastSeq();
        try (Connection c = AccessFixtures.owner()) {
            AuditTrailIT.awaitSealed(c, last);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM"
                    + " audit_event), (SELECT count(*) FROM audit_seal_leaf), (SELECT count(*) FROM audit_seal_leaf l"
                    + " JOIN audit_event e ON e.seq = l.seq), (SELECT sum(size) FROM audit_seal)")) {
                rs.next();
                long sealedEntries = rs.getLong(3);
                assertThat(rs.getLong(2)).as("one leaf per sealed entry").isEqualTo(sealedEntries)
                        .isEqualTo(rs.getLong(4));
                assertThat(rs.getLong(1) - sealedEntries).as("only entries appended since are unsealed")
                        .isLessThan(20);
            }
            Verdict v = AuditVerify.verify(c);
            assertThat(v.intact()).as(v.toString()).isTrue();
        }
    }

    /**
     * A sealing round costs what is unsealed, not what was ever audited (V30). Before, the round's query was planned
     * without its cursor's values and merge-joined its candidates to the whole trail and to every leaf: on a bench
     * database of 155,000 entries one round read the trail from its first entry (230 ms) and the sealer took one of
     * the machine's two cores under load. Measured here as the buffers one round touches (EXPLAIN ANALYZE, BUFFERS),
     * with the same few entries waiting, before and after 30,000 more entries are appended and sealed (V19's round
     * touched about 55 more buffers per 1,000 entries of history; V30's stays within a few dozen). Both measurements
     * follow a VACUUM ANALYZE, as autovacuum would, so that what is compared is the history's size, not how fresh
     * its pages are.
     */
    @Test
    void aSealingRoundReadsWhatIsUnsealedNotTheWholeTrail() throws Exception {
        long small = roundBuffersWithFiveWaiting("small");
        try (Connection app = AccessFixtures.app(); Statement s = app.createStatement()) {
            s.executeUpdate("INSERT INTO audit_event (subject, username, roles, action, interaction, outcome)"
                    + " SELECT 'it-ledger-history', 'it-ledger', '', 'E', 'it-ledger-history', '0'"
                    + " FROM generate_series(1, 30000)");
        }
        try (Connection c = AccessFixtures.owner()) {
            AuditTrailIT.awaitSealed(c, lastSeq());
        }
        long large = roundBuffersWithFiveWaiting("large");
        assertThat(large).as("buffers of one round with 5 entries waiting: %d before 30,000 more sealed entries,"
                + " %d after", small, large).isLessThan(small + 200);
    }

    /**
     * With the sealer's lock held (no app instance seals meanwhile), appends five entries and returns the shared
     * buffers one call of the round's function touches; checks that the round offers exactly those five.
     */
    private static long roundBuffersWithFiveWaiting(String label) throws Exception {
        String marker = "it-ledger-round-" + label + "-" + java.util.UUID.randomUUID();
        try (Connection c = AccessFixtures.owner(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE audit_event, audit_seal_leaf");
        }
        try (Connection rival = AccessFixtures.owner()) {
            try (Statement s = rival.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + 0x4d45524944494e4cL + ")");
            }
            try {
                try (Connection app = AccessFixtures.app(); Statement s = app.createStatement()) {
                    s.executeUpdate("INSERT INTO audit_event (subject, username, roles, action, interaction, outcome)"
                            + " SELECT '" + marker + "', 'it-ledger', '', 'E', 'it-ledger-round', '0'"
                            + " FROM generate_series(1, 5)");
                }
                try (Statement s = rival.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE e.subject = '" + marker + "'),"
                            + " count(*) FROM audit_unsealed_next(1000) n JOIN audit_event e ON e.seq = n.seq")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("the round offers the five entries appended").isEqualTo(5);
                        assertThat(rs.getLong(2)).as("and little else (nothing seals while the lock is held)")
                                .isLessThan(50);
                    }
                    try (ResultSet rs = s.executeQuery(
                            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM audit_unsealed_next(1000)")) {
                        rs.next();
                        JsonNode plan = JSON.readTree(rs.getString(1)).get(0).get("Plan");
                        return plan.path("Shared Hit Blocks").asLong() + plan.path("Shared Read Blocks").asLong();
                    }
                }
            } finally {
                try (Statement s = rival.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + 0x4d45524944494e4cL + ")");
                }
            }
        }
    }

    /**
     * The app role appends an entry's content only (V27): its position (seq), its transaction, its time and the legacy
     * hashes are the database's column defaults, and an INSERT naming any of them is refused — nothing stored. Before
     * V27 the trigger overwrote them; without the column privileges the app could place an entry at a seq of its
     * choosing.
     */
    @Test
    void theAppCannotStampAnEntrysPositionTimeOrHash() throws Exception {
        String marker = "it-ledger-stamp-" + java.util.UUID.randomUUID();
        String[] stamps = {"seq", "xid", "recorded_at", "prev_hash", "hash"};
        String[] values = {"1", "pg_current_xact_id()", "clock_timestamp() - interval '1 day'", "repeat('0', 64)",
            "repeat('0', 64)"};
        for (int i = 0; i < stamps.length; i++) {
            try (Connection app = AccessFixtures.app(); Statement s = app.createStatement()) {
                String sql = "INSERT INTO audit_event (" + stamps[i] + ", subject, username, roles, action,"
                        + " interaction, outcome) VALUES (" + values[i] + ", '" + marker + "', 'it-ledger', '', 'E',"
                        + " 'it-ledger-stamp', '0')";
                java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        java.sql.SQLException.class, () -> s.executeUpdate(sql), stamps[i]);
                assertThat(refused.getSQLState()).as(stamps[i] + ": " + refused.getMessage()).isEqualTo("42501");
            }
        }
        try (Connection app = AccessFixtures.app(); Statement s = app.createStatement()) {
            s.executeUpdate("INSERT INTO audit_event (subject, username, roles, action, interaction, outcome) VALUES"
                    + " ('" + marker + "', 'it-ledger', '', 'E', 'it-ledger-stamp', '0')");
        }
        try (Connection c = AccessFixtures.owner(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*), min(seq), bool_and(xid IS NOT NULL), bool_and(prev_hash IS NULL AND hash IS NULL),"
                        + " bool_and(recorded_at > now() - interval '1 minute') FROM audit_event WHERE subject = '"
                        + marker + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("only the plain append was stored").isEqualTo(1);
            assertThat(rs.getLong(2)).as("its seq drawn by the database").isGreaterThan(1);
            assertThat(rs.getBoolean(3)).as("its transaction stamped").isTrue();
            assertThat(rs.getBoolean(4)).as("no legacy hashes").isTrue();
            assertThat(rs.getBoolean(5)).as("its time is the database's").isTrue();
        }
    }

    /**
     * An entry whose transaction commits after later entries were sealed (out of sequence order) is sealed by a later
     * batch, found through the transactions that were running when those entries were sealed — also when its xid is
     * above every completed one, so that the sealer's snapshot does not list it (V19) — and never skipped.
     */
    @Test
    void anEntryCommittedAfterLaterOnesWereSealedIsSealedToo() throws Exception {
        String marker = "it-ledger-late-" + java.util.UUID.randomUUID();
        String insert = "INSERT INTO audit_event (subject, username, roles, action,"
                + " interaction, outcome) VALUES ('" + marker + "', 'it-ledger', '',"
                + " 'E', 'it-ledger-late', '0')";
        long laterMax;
        long cursorBeforeCommit;
        try (Connection late = AccessFixtures.app(); Connection other = AccessFixtures.app()) {
            late.setAutoCommit(false);
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                // the later entries' transaction takes its xid first: when it commits it is the latest completed,
                // so the sealer's snapshot has xmax at or below the open transaction's xid and does not list it
                // among the running ones (pg_snapshot_xip) — the case V18 got wrong and V19 mends.
                s.executeQuery("SELECT pg_current_xact_id()").close();
            }
            try (Statement s = late.createStatement()) {
                s.executeUpdate(insert); // its seq is drawn now; the transaction stays open
            }
            try (Statement s = other.createStatement()) {
                for (int i = 0; i < 5; i++) {
                    s.executeUpdate(insert.replace(marker, marker + "-later"));
                }
            }
            other.commit();
            laterMax = lastSeq();
            try (Connection c = AccessFixtures.owner()) {
                AuditTrailIT.awaitSealed(c, laterMax);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT max_seq FROM audit_seal_cursor")) {
                    rs.next();
                    cursorBeforeCommit = rs.getLong(1);
                }
            }
            late.commit();
        }
        try (Connection c = AccessFixtures.owner()) {
            long lateSeq;
            try (PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_event WHERE subject = ?")) {
                s.setString(1, marker);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    lateSeq = rs.getLong(1);
                }
            }
            assertThat(cursorBeforeCommit).as("later entries were sealed past the open one's seq")
                    .isGreaterThanOrEqualTo(laterMax).isGreaterThan(lateSeq);
            AuditTrailIT.awaitSealed(c, lateSeq);
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM audit_seal_leaf WHERE seq = ?")) {
                s.setLong(1, lateSeq);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the late entry is sealed, once").isEqualTo(1);
                }
            }
            Verdict v = AuditVerify.verify(c);
            assertThat(v.intact()).as(v.toString()).isTrue();
        }
    }

    @Test
    void aTamperedHeadOrSignatureIsNamedAtItsBatch() throws Exception {
        fx.observation(AccessFixtures.token("dr.jansen"), fx.patient(AccessFixtures.token("dr.jansen"),
                AccessFixtures.newPerson()));
        try (Connection c = AccessFixtures.owner()) {
            AuditTrailIT.awaitSealed(c, lastSeq());
            c.setAutoCommit(false);
            long batch;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(batch) FROM audit_seal")) {
                rs.next();
                batch = rs.getLong(1);
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit_seal DISABLE TRIGGER audit_seal_immutable");
                s.execute("UPDATE audit_seal SET root = repeat('a', 64) WHERE batch = " + batch);
            }
            Verdict root = AuditVerify.verify(c);
            assertThat(root.intact()).isFalse();
            assertThat(root.problem()).contains("batch " + batch).contains("signature");
            c.rollback();
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit_seal DISABLE TRIGGER audit_seal_immutable");
                s.execute("ALTER TABLE audit_seal_leaf DISABLE TRIGGER audit_seal_leaf_immutable");
                s.execute("DELETE FROM audit_seal_leaf WHERE batch = " + batch);
                s.execute("DELETE FROM audit_seal WHERE batch = " + batch);
            }
            Verdict removed = AuditVerify.verify(c);
            assertThat(removed.intact()).as("the last batch removed: its entries are in no batch and not queued")
                    .isFalse();
            assertThat(removed.problem()).contains("inserted");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(AuditVerify.verify(c).intact()).as("restored").isTrue();
        }
    }

    @Test
    void thePatientsInclusionProofVerifiesAgainstThePublishedKeyAndFailsForAForgedEntry() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, "person-anna");
        fx.observation(jansen, patient);
        String anna = AccessFixtures.token("patient.anna");
        HttpResponse<String> log = AccessFixtures.send("GET", fx.api("me/access-log"), anna, null);
        assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
        long seq = JSON.readTree(log.body()).get(0).path("seq").asLong();
        try (Connection c = AccessFixtures.owner()) {
            AuditTrailIT.awaitSealed(c, seq);
        }

        JsonNode proof = proofs(anna, seq).get(0);
        assertThat(proof.path("sealed").asBoolean()).as(proof.toString()).isTrue();
        HttpResponse<String> keys = AccessFixtures.send("GET", health.meridian.web.it.TestStack.app(base)
                + "/.well-known/meridian-audit-keys", null, null);
        assertThat(keys.statusCode()).isEqualTo(200);
        PublicKey published = null;
        for (JsonNode k : JSON.readTree(keys.body()).path("keys")) {
            if (k.path("kid").asText().equals(proof.path("treeHead").path("key").asText())) {
                published = TreeHead.publicKey(k.path("x509").asText());
            }
        }
        assertThat(published).as("the signing key is published").isNotNull();

        JsonNode h = proof.path("treeHead");
        TreeHead head = new TreeHead(h.path("batch").asLong(), h.path("size").asInt(), h.path("root").asText(),
                h.path("previous").asText(), java.time.Instant.parse(h.path("sealed").asText()),
                h.path("key").asText());
        assertThat(head.statement()).isEqualTo(proof.path("statement").asText());
        assertThat(head.verify(proof.path("signature").asText(), published)).isTrue();
        List<byte[]> path = new ArrayList<>();
        proof.path("path").forEach(p -> path.add(MerkleTree.unhex(p.asText())));
        byte[] leaf = MerkleTree.leafHash(proof.path("entry").asText());
        assertThat(MerkleTree.verifyInclusion(leaf, proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(),
                path, MerkleTree.unhex(head.root()))).isTrue();
        assertThat(MerkleTree.verifyInclusion(MerkleTree.leafHash(proof.path("entry").asText() + "x"),
                proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(), path,
                MerkleTree.unhex(head.root()))).as("a forged entry").isFalse();

        Path file = Files.createTempFile("audit-proof", ".json");
        Files.writeString(file, proof.toString());
        assertThat(offline(file, null)).startsWith("verified");
        com.fasterxml.jackson.databind.node.ObjectNode forged = proof.deepCopy();
        forged.put("entry", proof.path("entry").asText() + "x");
        Files.writeString(file, forged.toString());
        assertThat(offline(file, null)).startsWith("NOT verified");

        assertThat(proofs(AccessFixtures.token("patient.bram"), seq)).as("not Bram's entry: no proof for him")
                .isEmpty();
    }

    private JsonNode proofs(String token, long seq) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", fx.api("me/access-log/proofs?seq=" + seq), token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The documented offline check: {@code java infra/audit/VerifyAuditProof.java proof.json}. */
    private static String offline(Path proof, String key) throws Exception {
        Path source = Path.of("..", "infra", "audit", "VerifyAuditProof.java").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), proof.toString()));
        if (key != null) {
            cmd.add(key);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out.substring(out.lastIndexOf('\n') + 1); // the verdict (the JVM may print notices before it)
    }

    private static long lastSeq() throws Exception {
        try (Connection c = AccessFixtures.owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long unsealedAfter(long seq) throws Exception {
        try (Connection c = AccessFixtures.owner(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_event e WHERE e.seq > " + seq
                     + " AND NOT EXISTS (SELECT 1 FROM audit_seal_leaf l WHERE l.seq = e.seq)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
