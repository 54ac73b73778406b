package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.StaffNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link StaffNames} in {@code staff_name} (V21): read by anyone, written by the subject themselves (RLS). */
@ApplicationScoped
public class JpaStaffNames implements StaffNames {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void enter(Entry self) {
        em.createNativeQuery("SELECT set_config('app.subject', ?1, true)").setParameter(1, self.subject())
                .getSingleResult();
        em.createNativeQuery("INSERT INTO staff_name (subject, display_name, role, tenant_id)"
                        + " SELECT ?1, ?2, ?3, (SELECT id FROM tenant WHERE id = ?4)"
                        + " ON CONFLICT (subject) DO UPDATE SET display_name = EXCLUDED.display_name,"
                        + " role = EXCLUDED.role, tenant_id = EXCLUDED.tenant_id, seen_at = clock_timestamp()")
                .setParameter(1, self.subject()).setParameter(2, self.displayName()).setParameter(3, self.role())
                .setParameter(4, self.tenant()).executeUpdate();
    }

    @Override
    public Map<String, Entry> of(Collection<String> subjects) {
        List<String> wanted = subjects.stream().filter(Objects::nonNull).distinct().toList();
        if (wanted.isEmpty()) {
            return Map.of();
        }
        List<?> rows = em.createNativeQuery("SELECT subject, display_name, role, tenant_id FROM staff_name"
                + " WHERE subject = ANY(CAST(?1 AS text[]))").setParameter(1, JpaCareTeamDirectory.textArray(wanted))
                .getResultList();
        return rows.stream().map(r -> (Object[]) r)
                .map(c -> new Entry((String) c[0], (String) c[1], (String) c[2], (String) c[3]))
                .collect(Collectors.toMap(Entry::subject, Function.identity()));
    }
}
