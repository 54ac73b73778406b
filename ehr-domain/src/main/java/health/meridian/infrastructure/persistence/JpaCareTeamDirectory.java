package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.CareTeamDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class JpaCareTeamDirectory implements CareTeamDirectory {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    @SuppressWarnings("unchecked")
    public Set<String> personsInCareOf(String practitionerId, Instant now) {
        if (practitionerId == null) {
            return Set.of();
        }
        List<String> persons = em.createNativeQuery("SELECT DISTINCT p.person_id FROM care_team_member m"
                        + " JOIN care_team_patient p ON p.tenant_id = m.tenant_id AND p.team_id = m.team_id"
                        + " WHERE m.practitioner_id = ?1 AND m.period_start <= ?2"
                        + " AND (m.period_end IS NULL OR m.period_end > ?2)")
                .setParameter(1, practitionerId).setParameter(2, Timestamp.from(now)).getResultList();
        return new HashSet<>(persons);
    }
}
