package health.meridian.web.security;

import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import java.util.List;

/** What the policy looks at in a record: who holds it, whose it is, and its security labels. */
public record RecordFacts(TenantId custodian, String type, String personId, List<String> labels) {

    public RecordFacts {
        labels = List.copyOf(labels);
    }

    public static RecordFacts of(StoredResource stored) {
        return new RecordFacts(stored.key().tenant(), stored.key().type(), stored.personId(),
                stored.envelope().sensitivity());
    }
}
