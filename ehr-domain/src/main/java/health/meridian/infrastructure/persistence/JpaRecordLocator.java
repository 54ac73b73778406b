package health.meridian.infrastructure.persistence;

import health.meridian.domain.access.RecordLocator;
import health.meridian.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

@ApplicationScoped
public class JpaRecordLocator implements RecordLocator {

    @PersistenceContext(unitName = "meridian")
    private EntityManager em;

    @Override
    @SuppressWarnings("unchecked")
    public List<Holder> holdersOf(String type, String id) {
        List<Object[]> rows = em.createNativeQuery("SELECT custodian_id, person_id, CAST(sensitivity AS text)"
                        + " FROM meridian_record_locate(?1, ?2)")
                .setParameter(1, type).setParameter(2, id).getResultList();
        return rows.stream().map(r -> new Holder(TenantId.of((String) r[0]), (String) r[1], labels((String) r[2])))
                .toList();
    }

    private static final StringListJsonConverter LABELS = new StringListJsonConverter();

    private static List<String> labels(String json) {
        return LABELS.convertToEntityAttribute(json);
    }

    @Override
    public List<health.meridian.domain.record.ResourceKey> patientRecordsOf(String personId, String homeTenant) {
        List<?> rows = em.createNativeQuery("SELECT tenant_id, resource_id FROM resource_head"
                        + " WHERE person_id = ?1 AND resource_type = 'Patient' AND NOT deleted"
                        + " ORDER BY (tenant_id = ?2) DESC, updated_at DESC")
                .setParameter(1, personId).setParameter(2, homeTenant == null ? "" : homeTenant).getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new health.meridian.domain.record.ResourceKey(
                TenantId.of((String) r[0]), "Patient", (String) r[1])).toList();
    }
}
