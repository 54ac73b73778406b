package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.PractitionerDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JpaPractitionerDirectory implements PractitionerDirectory {

    private static final String COLUMNS = "SELECT practitioner_id, tenant_id, display_name, role FROM practitioner_directory";

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    public void enter(Entry self) {
        em.createNativeQuery("INSERT INTO practitioner_directory (practitioner_id, tenant_id, display_name, role)"
                        + " SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM tenant WHERE id = ?2) ON CONFLICT (practitioner_id) DO UPDATE SET tenant_id ="
                        + " EXCLUDED.tenant_id, display_name = EXCLUDED.display_name, role = EXCLUDED.role,"
                        + " seen_at = clock_timestamp()")
                .setParameter(1, self.practitionerId()).setParameter(2, self.tenant())
                .setParameter(3, self.displayName()).setParameter(4, self.role()).executeUpdate();
    }

    @Override
    public List<Entry> search(String text, int limit) {
        String like = "%" + (text == null ? "" : text.toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        List<?> rows = em.createNativeQuery(COLUMNS + " WHERE lower(practitioner_id) LIKE ?1"
                        + " OR lower(display_name) LIKE ?1 OR lower(tenant_id) LIKE ?1 ORDER BY display_name LIMIT ?2")
                .setParameter(1, like).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> toEntry((Object[]) r)).toList();
    }

    @Override
    public Optional<Entry> find(String practitionerId) {
        List<?> rows = em.createNativeQuery(COLUMNS + " WHERE practitioner_id = ?1").setParameter(1, practitionerId)
                .getResultList();
        return rows.stream().findFirst().map(r -> toEntry((Object[]) r));
    }

    private static Entry toEntry(Object[] c) {
        return new Entry((String) c[0], (String) c[1], (String) c[2], (String) c[3]);
    }
}
