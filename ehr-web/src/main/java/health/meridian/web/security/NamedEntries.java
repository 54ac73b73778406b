package health.meridian.web.security;

import health.meridian.domain.access.StaffNames;
import health.meridian.domain.audit.AuditEntry;
import health.meridian.domain.record.StoredResource;
import java.util.List;
import java.util.Map;

/**
 * Audit entries with the names a reader may see beside them (issue #20): staff by token subject (everyone who
 * reads the trail may see who acted), and the Patients the reader's institution holds by reference
 * ({@link AccessSeam.Acting#patientsNamed}); a reference without a Patient here stays unnamed.
 */
public record NamedEntries(List<AuditEntry> entries, Map<String, StaffNames.Entry> staff,
                           Map<String, StoredResource> patients) {

    public static NamedEntries unnamed(List<AuditEntry> entries) {
        return new NamedEntries(entries, Map.of(), Map.of());
    }
}
