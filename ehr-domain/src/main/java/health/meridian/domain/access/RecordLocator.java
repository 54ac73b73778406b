package health.meridian.domain.access;

import health.meridian.domain.tenant.TenantId;
import java.util.List;

/**
 * Finds which institutions hold a resource with this type and id that the bound caller may see at all (row-level
 * security decides: the caller's institution, rows admitted by a grant, the patient's own rows). The bound
 * institution comes first.
 */
public interface RecordLocator {

    /**
     * Every institution holding Type/id, past row-level security, with the facts the access policy decides on: the
     * person the record is about and the security labels of its current version (the bound institution first). One
     * index probe whether the id is held elsewhere or nowhere, so a refusal costs the same either way (issue #18).
     * Only for deciding: what it returns must never reach a caller the policy does not admit.
     */
    List<Holder> holdersOf(String type, String id);

    /** A holder of a record: custodian institution, person (null: about no person), labels of the current version. */
    record Holder(TenantId custodian, String personId, List<String> labels) {
        public Holder {
            labels = labels == null ? List.of() : List.copyOf(labels);
        }
    }

    /** The Patient records of a person that the bound caller may see (their home institution first). */
    List<health.meridian.domain.record.ResourceKey> patientRecordsOf(String personId, String homeTenant);
}
