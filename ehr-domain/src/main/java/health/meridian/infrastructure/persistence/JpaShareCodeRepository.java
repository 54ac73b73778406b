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
    public List<String> personsSharedWith(String practitioner, String tenant, Instant now) {
        return em.createQuery("SELECT DISTINCT c.personId FROM ShareCode c WHERE c.redeemedBy = :p"
                        + " AND c.redeemedTenant = :t AND c.accessUntil > :now AND c.revokedAt IS NULL", String.class)
                .setParameter("p", practitioner).setParameter("t", tenant).setParameter("now", now).getResultList();
    }

    @Override
    public long failuresBySubject(String subject, Instant since) {
        return count("subject", subject, since);
    }

    @Override
    public long failuresByAddress(String address, Instant since) {
        return count("client_ip", address, since);
    }

    private long count(String column, String value, Instant since) {
        Object n = em.createNativeQuery("SELECT count(*) FROM share_code_failure WHERE " + column + " = ?1"
                        + " AND failed_at >= ?2")
                .setParameter(1, value).setParameter(2, Timestamp.from(since)).getSingleResult();
        return ((Number) n).longValue();
    }

    @Override
    public void recordFailure(String subject, String address) {
        em.createNativeQuery("INSERT INTO share_code_failure (subject, client_ip) VALUES (?1, ?2)")
                .setParameter(1, subject).setParameter(2, address).executeUpdate();
    }
}
