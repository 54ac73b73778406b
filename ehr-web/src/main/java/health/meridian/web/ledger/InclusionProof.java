package health.meridian.web.ledger;

import health.meridian.domain.audit.ledger.MerkleTree;
import health.meridian.domain.audit.ledger.TreeHead;
import health.meridian.infrastructure.persistence.JpaAuditLedger;
import health.meridian.infrastructure.persistence.JpaAuditLedger.Leaf;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/**
 * The inclusion proof of one audit entry (RFC 6962 audit path) against the signed head of the batch that sealed it,
 * with everything needed to check it offline: the entry's canonical text, its leaf hash, the path, the head's fields
 * and signed statement, the signature and the public key. The caller (the seam) decides whose entries; this class
 * only answers for an entry the bound reader's row-level security lets it read.
 */
@ApplicationScoped
public class InclusionProof {

    @Inject
    JpaAuditLedger ledger;
    @PersistenceContext(unitName = "meridian")
    EntityManager em;

    /** The proof as JSON sends it; {@code sealed} false (and the rest null) while the entry waits for its batch. */
    public record Proof(long seq, boolean sealed, String entry, String leafHash, Integer leafIndex, Integer treeSize,
                        List<String> path, Head treeHead, String statement, String signature, String publicKey) {
    }

    /** A tree head's fields, as {@link TreeHead#statement()} lays them out. */
    public record Head(long batch, int size, String root, String previous, String sealed, String key) {
    }

    /** The proof of entry {@code seq} if it is about {@code person} and readable here; empty otherwise. */
    public Optional<Proof> of(long seq, String person) {
        List<?> rows = em.createNativeQuery("SELECT audit_event_canonical(e) FROM audit_event e"
                + " WHERE e.seq = ?1 AND e.person_id = ?2").setParameter(1, seq).setParameter(2, person)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String canonical = (String) rows.get(0);
        List<Leaf> batch = ledger.batchOf(seq);
        if (batch.isEmpty()) {
            return Optional.of(new Proof(seq, false, canonical, MerkleTree.hex(MerkleTree.leafHash(canonical)), null,
                    null, null, null, null, null, null));
        }
        int index = batch.stream().filter(l -> l.seq() == seq).findFirst().orElseThrow().leafIndex();
        List<byte[]> leaves = batch.stream().map(l -> MerkleTree.unhex(l.leafHash())).toList();
        var seal = ledger.seal(batch.get(0).batch()).orElseThrow();
        TreeHead head = new TreeHead(seal.batch(), seal.size(), seal.root(), seal.previous(), seal.sealedAt(),
                seal.keyId());
        String publicKey = ledger.publicKeys().get(seal.keyId());
        return Optional.of(new Proof(seq, true, canonical, MerkleTree.hex(MerkleTree.leafHash(canonical)), index,
                leaves.size(), MerkleTree.inclusionProof(leaves, index).stream().map(MerkleTree::hex).toList(),
                new Head(head.batch(), head.size(), head.root(), head.previous(), head.sealedAt().toString(),
                        head.keyId()), head.statement(), seal.signature(), publicKey));
    }
}
