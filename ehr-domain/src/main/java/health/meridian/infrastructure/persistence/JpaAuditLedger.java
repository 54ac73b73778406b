package health.meridian.infrastructure.persistence;

import static health.meridian.infrastructure.persistence.SqlValues.instant;

import health.meridian.domain.audit.ledger.LedgerVerifier;
import health.meridian.domain.audit.ledger.LedgerVerifier.LeafRow;
import health.meridian.domain.audit.ledger.LedgerVerifier.SealRow;
import health.meridian.domain.audit.ledger.LedgerVerifier.UnsealedRow;
import health.meridian.domain.audit.ledger.TreeHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.security.PublicKey;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sealed audit ledger in PostgreSQL (V15, V18): the sealer's candidates, the signed batches and their leaves, the signing
 * keys. Everything runs through SECURITY DEFINER functions or tables without patient data (seq numbers and hashes
 * only), so the app role needs no sight of other institutions' audit rows to seal or verify them.
 */
@ApplicationScoped
public class JpaAuditLedger implements LedgerVerifier.Source {

    /** The advisory lock key of the one sealer (any app instance may hold it, one at a time). */
    private static final long SEALER_LOCK = 0x4d45524944494e4cL;

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    /** One queued entry to seal: its seq and leaf hash (recomputed from the row). */
    public record Queued(long seq, String leafHash) {
    }

    /**
     * The next entries to seal, in seq order, and the transactions running at the snapshot they were read under
     * (the sealer's pending set for the next round): those the snapshot lists ({@code running}) and every one with
     * an xid at or above its xmax ({@code runningFrom}), which a snapshot does not list (V19).
     */
    public record Unsealed(List<Queued> entries, String running, String runningFrom) {
    }

    /** Takes the sealer's lock for this transaction; false if another instance holds it. */
    public boolean leadSealing() {
        return (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)").setParameter(1, SEALER_LOCK)
                .getSingleResult();
    }

    public Unsealed nextUnsealed(int max) {
        List<?> rows = em.createNativeQuery("SELECT seq, leaf_hash, CAST(running AS text), CAST(running_from AS text)"
                + " FROM audit_unsealed_next(?1)").setParameter(1, max).getResultList();
        List<Object[]> all = rows.stream().map(r -> (Object[]) r).toList();
        return new Unsealed(all.stream().map(r -> new Queued(((Number) r[0]).longValue(), (String) r[1])).toList(),
                all.isEmpty() ? "{}" : (String) all.get(0)[2], all.isEmpty() ? null : (String) all.get(0)[3]);
    }

    public Optional<SealRow> lastSeal() {
        return seal("SELECT batch, size, root, previous, sealed_at, key_id, signature FROM audit_seal"
                + " ORDER BY batch DESC LIMIT 1", null);
    }

    public Optional<SealRow> seal(long batch) {
        return seal("SELECT batch, size, root, previous, sealed_at, key_id, signature FROM audit_seal"
                + " WHERE batch = ?1", batch);
    }

    private Optional<SealRow> seal(String sql, Long batch) {
        var q = em.createNativeQuery(sql);
        if (batch != null) {
            q.setParameter(1, batch);
        }
        List<?> rows = q.getResultList();
        return rows.stream().map(r -> (Object[]) r).map(JpaAuditLedger::sealRow).findFirst();
    }

    public void commit(TreeHead head, String signature, Unsealed batch) {
        List<Queued> leaves = batch.entries();
        em.createNativeQuery("SELECT audit_seal_commit(?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS bigint[]),"
                        + " CAST(?9 AS text[]), CAST(?10 AS xid8[]), CAST(?11 AS xid8))")
                .setParameter(1, head.batch()).setParameter(2, head.size()).setParameter(3, head.root())
                .setParameter(4, head.previous()).setParameter(5, Timestamp.from(head.sealedAt()))
                .setParameter(6, head.keyId()).setParameter(7, signature)
                .setParameter(8, "{" + String.join(",", leaves.stream().map(l -> Long.toString(l.seq())).toList())
                        + "}")
                .setParameter(9, "{" + String.join(",", leaves.stream().map(Queued::leafHash).toList()) + "}")
                .setParameter(10, batch.running()).setParameter(11, batch.runningFrom())
                .getSingleResult();
    }

    /** Registers a signing key's public half (idempotent). */
    public void registerKey(String keyId, String publicKeyBase64) {
        em.createNativeQuery("INSERT INTO audit_signing_key (key_id, public_key) VALUES (?1, ?2)"
                + " ON CONFLICT (key_id) DO NOTHING").setParameter(1, keyId).setParameter(2, publicKeyBase64)
                .executeUpdate();
    }

    /** Every registered public key (X.509, base64) by key id, oldest first. */
    public Map<String, String> publicKeys() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object r : em.createNativeQuery("SELECT key_id, public_key FROM audit_signing_key ORDER BY registered_at")
                .getResultList()) {
            Object[] row = (Object[]) r;
            out.put((String) row[0], (String) row[1]);
        }
        return out;
    }

    /** One leaf of a sealed batch. */
    public record Leaf(long batch, int leafIndex, long seq, String leafHash) {
    }

    /** Every leaf of the batch that sealed entry {@code seq}, in order; empty while the entry is queued. */
    public List<Leaf> batchOf(long seq) {
        List<?> rows = em.createNativeQuery("SELECT batch, leaf_index, seq, leaf_hash FROM audit_ledger_batch_of(?1)")
                .setParameter(1, seq).getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new Leaf(((Number) r[0]).longValue(),
                ((Number) r[1]).intValue(), ((Number) r[2]).longValue(), (String) r[3])).toList();
    }

    @Override
    public List<SealRow> seals() {
        List<?> rows = em.createNativeQuery("SELECT batch, size, root, previous, sealed_at, key_id, signature"
                + " FROM audit_seal ORDER BY batch").getResultList();
        return rows.stream().map(r -> sealRow((Object[]) r)).toList();
    }

    @Override
    public List<LeafRow> leaves(long fromBatch, long toBatch) {
        List<?> rows = em.createNativeQuery("SELECT batch, leaf_index, seq, leaf_hash, recomputed"
                + " FROM audit_ledger_leaves(?1, ?2)").setParameter(1, fromBatch).setParameter(2, toBatch)
                .getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new LeafRow(((Number) r[0]).longValue(),
                ((Number) r[1]).intValue(), ((Number) r[2]).longValue(), (String) r[3], (String) r[4])).toList();
    }

    @Override
    public List<UnsealedRow> unsealed() {
        List<?> rows = em.createNativeQuery("SELECT seq, queued_at, in_trail FROM audit_ledger_unsealed()")
                .getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new UnsealedRow(((Number) r[0]).longValue(),
                instant(r[1]), (Boolean) r[2])).toList();
    }

    @Override
    public Map<String, PublicKey> keys() {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        publicKeys().forEach((id, key) -> out.put(id, TreeHead.publicKey(key)));
        return out;
    }

    private static SealRow sealRow(Object[] r) {
        return new SealRow(((Number) r[0]).longValue(), ((Number) r[1]).intValue(), (String) r[2], (String) r[3],
                instant(r[4]), (String) r[5], (String) r[6]);
    }
}
