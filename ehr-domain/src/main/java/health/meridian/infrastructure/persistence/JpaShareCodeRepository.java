package health.meridian.infrastructure.persistence;

import health.meridian.domain.share.ShareCode;
import health.meridian.domain.share.ShareCodeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

@ApplicationScoped
public class JpaShareCodeRepository implements ShareCodeRepository {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void add(ShareCode code) {
        em.persist(code);
        em.flush();
    }

    @Override
    public Optional<ShareCode> find(String id) {
        return Optional.ofNullable(em.find(ShareCode.class, id));
    }

    @Override
    public Optional<ShareCode> byHash(String hash) {
        return em.createQuery("SELECT c FROM ShareCode c WHERE c.codeHash = :h", ShareCode.class)
                .setParameter("h", hash).getResultStream().findFirst();
    }

    @Override
    public List<ShareCode> ofPerson(String personId) {
        return em.createQuery("SELECT c FROM ShareCode c WHERE c.personId = :p ORDER BY c.createdAt DESC",
                ShareCode.class).setParameter("p", personId).setMaxResults(100).getResultList();
    }

    @Override
    public void lockAndRefresh(ShareCode code) {
        lock("share-code:" + code.id());
        em.refresh(code); // a statement after the lock: it sees what the previous holder committed
    }

    @Override
    public List<Redeemed> redeemedBy(String practitioner, String tenant, Instant now) {
        return em.createQuery("SELECT c FROM ShareCode c WHERE c.redeemedBy = :p AND c.redeemedTenant = :t"
                        + " AND c.accessUntil > :now AND c.revokedAt IS NULL", ShareCode.class)
                .setParameter("p", practitioner).setParameter("t", tenant).setParameter("now", now).getResultList()
                .stream().map(c -> new Redeemed(c.personId(), c.accessUntil().orElseThrow())).toList();
    }

    @Override
    public OptionalLong reserveAttempt(String subject, String address, Instant since, int perSubject,
                                       int perAddress) {
        lock("share-code-subject:" + subject);
        lock("share-code-address:" + address);
        if (failures("subject", subject, since) >= perSubject || failures("client_ip", address, since) >= perAddress) {
            return OptionalLong.empty();
        }
        Object id = em.createNativeQuery("INSERT INTO share_code_failure (subject, client_ip) VALUES (?1, ?2)"
                + " RETURNING id").setParameter(1, subject).setParameter(2, address).getSingleResult();
        return OptionalLong.of(((Number) id).longValue());
    }

    @Override
    public void attemptRedeemed(long attempt) {
        em.createNativeQuery("UPDATE share_code_failure SET redeemed_at = clock_timestamp() WHERE id = ?1")
                .setParameter(1, attempt).executeUpdate();
    }

    /** A transaction-scoped advisory lock: always taken subject first, then address, so no two wait on each other. */
    private void lock(String key) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))").setParameter(1, key)
                .getSingleResult();
    }

    private long failures(String column, String value, Instant since) {
        Object n = em.createNativeQuery("SELECT count(*) FROM share_code_failure WHERE " + column + " = ?1"
                        + " AND failed_at >= ?2 AND redeemed_at IS NULL")
                .setParameter(1, value).setParameter(2, Timestamp.from(since)).getSingleResult();
        return ((Number) n).longValue();
    }
}
