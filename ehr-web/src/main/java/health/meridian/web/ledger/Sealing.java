package health.meridian.web.ledger;

import health.meridian.domain.audit.ledger.MerkleTree;
import health.meridian.domain.audit.ledger.TreeHead;
import health.meridian.infrastructure.persistence.JpaAuditLedger;
import health.meridian.infrastructure.persistence.JpaAuditLedger.Queued;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One sealing step, in one transaction: if this instance holds the sealer's lock, the queued entries its snapshot
 * sees (committed ones; up to {@link #MAX_BATCH}) become the next batch — a Merkle tree over their leaf hashes in seq
 * order, its head chained to the previous head's hash and signed — stored with one leaf row per entry while the
 * entries leave the queue. Entries of transactions that commit later, whatever their seq, go into a later batch.
 */
@ApplicationScoped
public class Sealing {

    /** At most this many entries per batch (Trillian's and CCF's defaults are of this order). */
    public static final int MAX_BATCH = 1000;

    @Inject
    JpaAuditLedger ledger;
    @Inject
    SigningKey key;

    /** Seals one batch; returns how many entries it sealed (0: nothing queued, or another instance leads). */
    @Transactional
    public int sealOnce() {
        if (!ledger.leadSealing()) {
            return 0;
        }
        JpaAuditLedger.Unsealed next = ledger.nextUnsealed(MAX_BATCH);
        List<Queued> queued = next.entries();
        if (queued.isEmpty()) {
            return 0;
        }
        ledger.registerKey(key.keyId(), key.publicKeyBase64());
        var last = ledger.lastSeal();
        String previous = last.map(s -> new TreeHead(s.batch(), s.size(), s.root(), s.previous(), s.sealedAt(),
                s.keyId()).hash()).orElse(TreeHead.GENESIS);
        long batch = last.map(s -> s.batch() + 1).orElse(1L);
        String root = MerkleTree.hex(MerkleTree.root(queued.stream().map(q -> MerkleTree.unhex(q.leafHash()))
                .toList()));
        TreeHead head = new TreeHead(batch, queued.size(), root, previous,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), key.keyId());
        ledger.commit(head, head.sign(key.privateKey()), next);
        return queued.size();
    }
}
