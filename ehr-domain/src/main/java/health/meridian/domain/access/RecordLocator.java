package health.meridian.domain.access;

import health.meridian.domain.tenant.TenantId;
import java.util.List;

/**
 * Finds which institutions hold a resource with this type and id that the bound caller may see at all (row-level
 * security decides: the caller's institution, rows admitted by a grant, the patient's own rows). The bound
 * institution comes first.
 */
public interface RecordLocator {

    List<TenantId> custodiansOf(String type, String id);

    /** The Patient records of a person that the bound caller may see (their home institution first). */
    List<health.meridian.domain.record.ResourceKey> patientRecordsOf(String personId, String homeTenant);
}
