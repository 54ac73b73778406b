package health.meridian.migrations;

import health.meridian.migrations.AuditChainVerifier.ChainRow;
import health.meridian.migrations.AuditChainVerifier.Verdict;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import health.meridian.domain.audit.ledger.LedgerVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./meridian audit-verify}: reads the whole audit trail as the schema owner (who sees every row), recomputes
 * the legacy hash chain (up to the V15 cut-over) and verifies every sealed batch of the ledger after it
 * ({@link LedgerVerifier}: signatures, the chain of heads, every entry's leaf). Exit 0 if intact, 3 with the first
 * broken seq if not; entries left unsealed longer than 2 s are printed as an alarm.
 * Environment: {@code MERIDIAN_DB_URL}, {@code MERIDIAN_DB_OWNER}, {@code MERIDIAN_DB_OWNER_PASSWORD}.
 */
public final class AuditVerify {

    /** The legacy chain's rows: up to the V15 cut-over, where the chain head stopped. */
    static final String ROWS = "SELECT seq, (extract(epoch FROM recorded_at) * 1000000)::bigint, tenant_id,"
            + " custodian_id, subject, username, roles, person_id, patient_ref, action::text, interaction,"
            + " resource_type, resource_id, query, outcome, purpose, detail, prev_hash, hash"
            + " FROM audit_event WHERE seq <= (SELECT seq FROM audit_chain_head) ORDER BY seq";
    private static final int FIELDS = 17;

    private AuditVerify() {
    }

    public static void main(String[] args) throws SQLException {
        String url = System.getenv("MERIDIAN_DB_URL");
        try (Connection c = DriverManager.getConnection(url, System.getenv("MERIDIAN_DB_OWNER"),
                System.getenv("MERIDIAN_DB_OWNER_PASSWORD"))) {
            Verdict legacy = verifyLegacy(c);
            System.out.println("meridian: legacy " + legacy);
            if (!legacy.intact()) {
                System.exit(3);
            }
            LedgerVerifier.Verdict ledger = LedgerVerifier.verify(new JdbcLedger(c), Instant.now(),
                    Duration.ofSeconds(2));
            System.out.println("meridian: " + ledger);
            System.exit(ledger.intact() ? 0 : 3);
        }
    }

    /**
     * Verifies the legacy chain, then the ledger, over a connection that sees every audit row (the schema owner's);
     * one verdict naming the first broken seq of either.
     */
    public static Verdict verify(Connection c) throws SQLException {
        Verdict legacy = verifyLegacy(c);
        if (!legacy.intact()) {
            return legacy;
        }
        LedgerVerifier.Verdict ledger = LedgerVerifier.verify(new JdbcLedger(c), Instant.now(), Duration.ofSeconds(2));
        if (!ledger.intact()) {
            return new Verdict(false, ledger.entries(), ledger.brokenAtSeq(), ledger.problem());
        }
        return new Verdict(true, Math.max(legacy.rows(), ledger.entries()), null, null);
    }

    /** The legacy hash chain alone (rows up to the cut-over). */
    public static Verdict verifyLegacy(Connection c) throws SQLException {
        List<ChainRow> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(ROWS); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                List<String> fields = new ArrayList<>(FIELDS);
                for (int i = 1; i <= FIELDS; i++) {
                    fields.add(rs.getString(i));
                }
                rows.add(new ChainRow(rs.getLong(1), fields, rs.getString(18), rs.getString(19)));
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM audit_chain_head");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return AuditChainVerifier.verify(rows, rs.getLong(1), rs.getString(2));
        }
    }
}
