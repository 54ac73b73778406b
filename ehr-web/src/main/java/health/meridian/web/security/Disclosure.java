package health.meridian.web.security;

import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.SearchResult;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one record a response carries tells the audit trail: its custodian institution and the person (and Patient
 * record) it is about. {@link AuditRecorder#disclosed} writes one audit event per distinct custodian and person of a
 * response (IHE BALP: one event per patient), so every patient whose data a search, timeline page, include,
 * summary or export carried finds the access in their log, and every custodian institution in its trail.
 */
public record Disclosure(String custodian, String personId, String patientRef) {

    public static Disclosure of(StoredResource stored) {
        return new Disclosure(stored.key().tenant().value(), stored.personId(), stored.envelope().patientRef());
    }

    /** A mirror hit: the indexed tenant, person and patient fields (always in the hit's source). */
    public static Disclosure of(SearchResult.Hit hit) {
        Map<String, Object> f = hit.fields() == null ? Map.of() : hit.fields();
        return new Disclosure(hit.tenant(), text(f.get("person")), text(f.get("patient")));
    }

    /**
     * One disclosure per custodian and person; records about no person count only where nothing else was
     * disclosed by that custodian, so a response about no patient still leaves one event.
     */
    public static List<Disclosure> distinct(Collection<Disclosure> all) {
        Map<String, Disclosure> out = new LinkedHashMap<>();
        for (Disclosure d : all) {
            if (d.personId() != null) {
                out.putIfAbsent(d.custodian() + "|" + d.personId(), d);
            }
        }
        for (Disclosure d : all) {
            if (d.personId() == null && out.keySet().stream().noneMatch(k -> k.startsWith(d.custodian() + "|"))) {
                out.putIfAbsent(d.custodian() + "|", d);
            }
        }
        return List.copyOf(out.values());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
