package health.meridian.migrations;

import health.meridian.domain.audit.ledger.LedgerVerifier;
import health.meridian.domain.audit.ledger.LedgerVerifier.LeafRow;
import health.meridian.domain.audit.ledger.LedgerVerifier.SealRow;
import health.meridian.domain.audit.ledger.LedgerVerifier.UnsealedRow;
import health.meridian.domain.audit.ledger.TreeHead;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit ledger read over plain JDBC (the schema owner's connection) for {@code ./meridian audit-verify}: the
 * same functions of V15 the app reads it through. Signing keys come from audit_signing_key, or — to pin them —
 * from {@code MERIDIAN_AUDIT_TRUSTED_KEYS} (comma-separated X.509 base64 keys, as published at
 * /.well-known/meridian-audit-keys), in which case a head signed by any other key is reported.
 */
final class JdbcLedger implements LedgerVerifier.Source {

    private final Connection c;

    JdbcLedger(Connection c) {
        this.c = c;
    }

    @Override
    public List<SealRow> seals() {
        return query("SELECT batch, size, root, previous, sealed_at, key_id, signature FROM audit_seal ORDER BY batch",
                rs -> new SealRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
    }

    @Override
    public List<LeafRow> leaves(long fromBatch, long toBatch) {
        return query("SELECT batch, leaf_index, seq, leaf_hash, recomputed FROM audit_ledger_leaves(" + fromBatch
                + ", " + toBatch + ")", rs -> new LeafRow(rs.getLong(1), rs.getInt(2), rs.getLong(3),
                rs.getString(4), rs.getString(5)));
    }

    @Override
    public List<UnsealedRow> unsealed() {
        return query("SELECT seq, queued_at, in_trail FROM audit_ledger_unsealed()", rs -> {
            Timestamp queued = rs.getTimestamp(2);
            return new UnsealedRow(rs.getLong(1), queued == null ? null : queued.toInstant(), rs.getBoolean(3));
        });
    }

    @Override
    public Map<String, PublicKey> keys() {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        String pinned = System.getenv("MERIDIAN_AUDIT_TRUSTED_KEYS");
        if (pinned != null && !pinned.isBlank()) {
            for (String k : pinned.split(",")) {
                PublicKey key = TreeHead.publicKey(k.trim());
                out.put(TreeHead.keyId(key), key);
            }
            return out;
        }
        query("SELECT key_id, public_key FROM audit_signing_key", rs -> out.put(rs.getString(1),
                TreeHead.publicKey(rs.getString(2))));
        return out;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper) {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("EHR-0724 the audit ledger cannot be read: " + e.getMessage(), e);
        }
    }
}
