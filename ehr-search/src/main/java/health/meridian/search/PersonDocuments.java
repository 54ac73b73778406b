package health.meridian.search;

import health.meridian.domain.cohort.CriterionType;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The person cohort index's documents: one per person, a nested {@code patients} entry per patient record and a
 * nested {@code events} entry per current cohort-relevant record (the types cohort criteria look at, and Consents
 * for research consent), each keyed by its record ({@code tenant/type/id}) and carrying its version. The fields are
 * the ones the records index derives ({@link SearchDocuments}, {@link ConceptCodes}), so both indexes agree.
 */
public final class PersonDocuments {

    static final String PATIENTS = "patients";
    static final String EVENTS = "events";
    /**
     * {@code day_up} = offset + day and {@code day_down} = offset − day: the UTC epoch day as two non-negative
     * scores (relevance scores cannot be negative) for the temporal relation ({@link SequenceFilter}).
     */
    public static final int DAY_OFFSET = 200_000;
    /** {@code code_day} keeps offset + day in its low 24 bits: days with offset + day in [0, 2^24) are encoded. */
    public static final long MAX_DAY_CODE = 1L << 24;
    /** The person's only patient record, when there is exactly one (top level: breakdowns without nested joins). */
    static final String SOLO = "solo";
    private static final Set<String> EVENT_TYPES = eventTypes();

    private PersonDocuments() {
    }

    /** What one shipped version changes in its person's document; empty when it concerns no person's cohort facts. */
    public record Change(String person, String key, long version, boolean deleted, String field,
                         Map<String, Object> entry) {
    }

    /** Whether records of this type are entries of person documents (patients, cohort-relevant records). */
    public static boolean covers(String type) {
        return "Patient".equals(type) || EVENT_TYPES.contains(type);
    }

    public static Optional<Change> change(IndexedRecord r) {
        StoredResource s = r.stored();
        String type = s.key().type();
        boolean patient = "Patient".equals(type);
        if (s.personId() == null || !covers(type)) {
            return Optional.empty();
        }
        String key = s.key().documentId();
        String field = patient ? PATIENTS : EVENTS;
        if (s.deleted()) {
            return Optional.of(new Change(s.personId(), key, s.version(), true, field, Map.of()));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key", key);
        entry.put("version", (long) s.version());
        entry.put("tenant", s.key().tenant().value());
        Map<String, Object> f = r.searchFields();
        if (patient) {
            entry.put("patient", s.envelope().patientRef());
            entry.put("gender", f.get("gender"));
            entry.put("birthdate", f.get("birthdate"));
        } else {
            entry.put("type", type);
            entry.put("codes", f.getOrDefault("concept_codes", List.of()));
            entry.put("scoped_codes", scopedCodes(s.key().tenant().value(), type, (List<?>) entry.get("codes")));
            if (s.envelope().effectiveAt() != null) {
                entry.put("effective", s.envelope().effectiveAt().toString());
                int day = (int) s.envelope().effectiveAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
                entry.put("day", day);
                entry.put("day_up", DAY_OFFSET + day);
                entry.put("day_down", DAY_OFFSET - day);
                entry.put("code_day", codeDays((List<?>) entry.get("codes"), day));
            }
            entry.put("value", f.get("value_quantity"));
            entry.put("unit", f.get("value_unit"));
            entry.put("status", f.get("status"));
            entry.put("category", s.envelope().category());
        }
        return Optional.of(new Change(s.personId(), key, s.version(), false, field, entry));
    }

    /**
     * Applies a change to a person document (in place): the entry with the same key is replaced or removed,
     * unless the document already reflects a newer version of that record.
     */
    @SuppressWarnings("unchecked")
    public static void apply(Map<String, Object> doc, Change c) {
        doc.put("person", c.person());
        List<Map<String, Object>> entries = new ArrayList<>((List<Map<String, Object>>) doc.getOrDefault(c.field(),
                List.of()));
        for (Map<String, Object> e : entries) {
            if (c.key().equals(e.get("key")) && ((Number) e.get("version")).longValue() > c.version()) {
                return;
            }
        }
        entries.removeIf(e -> c.key().equals(e.get("key")));
        if (!c.deleted()) {
            entries.add(c.entry());
        }
        doc.put(c.field(), entries);
        solo(doc);
    }

    /**
     * Applies a batch's changes of one person in order, in one pass over the document (the same outcome as
     * {@link #apply} change by change, without copying and scanning the entry list once per change: a person with
     * thousands of events in a bulk load's batch).
     */
    @SuppressWarnings("unchecked")
    public static void applyAll(Map<String, Object> doc, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        doc.put("person", changes.get(0).person());
        for (String field : List.of(PATIENTS, EVENTS)) {
            Map<String, Map<String, Object>> byKey = null;
            for (Change c : changes) {
                if (!field.equals(c.field())) {
                    continue;
                }
                if (byKey == null) {
                    byKey = new LinkedHashMap<>();
                    for (Map<String, Object> e : entries(doc, field)) {
                        byKey.put((String) e.get("key"), e);
                    }
                }
                Map<String, Object> existing = byKey.get(c.key());
                if (existing != null && ((Number) existing.get("version")).longValue() > c.version()) {
                    continue;
                }
                byKey.remove(c.key());
                if (!c.deleted()) {
                    byKey.put(c.key(), c.entry());
                }
            }
            if (byKey != null) {
                doc.put(field, new ArrayList<>(byKey.values()));
            }
        }
        solo(doc);
    }

    /** Removes one entry by key, whatever its version (reconciliation: the database no longer has it). */
    @SuppressWarnings("unchecked")
    public static void remove(Map<String, Object> doc, String key) {
        for (String field : List.of(PATIENTS, EVENTS)) {
            List<Map<String, Object>> entries = new ArrayList<>((List<Map<String, Object>>) doc.getOrDefault(field,
                    List.of()));
            entries.removeIf(e -> key.equals(e.get("key")));
            doc.put(field, entries);
        }
        solo(doc);
    }

    /**
     * Sets (or removes) the top-level {@code solo} copy of the person's patient record when they have exactly one:
     * then that record is the one a breakdown by gender, age band or institution takes, whatever the scope, so
     * those persons are counted with top-level aggregations and only the others need nested joins
     * ({@link CohortBreakdowns}).
     */
    public static void solo(Map<String, Object> doc) {
        List<Map<String, Object>> patients = entries(doc, PATIENTS);
        if (patients.size() != 1) {
            doc.remove(SOLO);
            return;
        }
        Map<String, Object> p = patients.get(0);
        Map<String, Object> solo = new LinkedHashMap<>();
        solo.put("tenant", p.get("tenant"));
        solo.put("gender", p.get("gender"));
        solo.put("birthdate", p.get("birthdate"));
        doc.put(SOLO, solo);
    }

    /**
     * One long per code of an event: the code's 32-bit hash in the high bits, offset + UTC day in the low 24. A
     * point range over one code's days then visits only that code's events in those days, which is what makes a
     * temporal relation's per-bucket clauses cheap ({@link SequenceFilter}); a hash collision only widens the
     * candidates, the exact {@code scoped_codes} filter beside it decides ({@link CohortQueries#eventsOnDays}).
     */
    public static List<Long> codeDays(List<?> codes, int day) {
        if (DAY_OFFSET + (long) day < 0 || DAY_OFFSET + (long) day >= MAX_DAY_CODE) {
            return List.of(); // not encodable (before the year 1422): such an event is found by the plain filters
        }
        return codes.stream().map(c -> codeDay(String.valueOf(c), day)).distinct().toList();
    }

    public static long codeDay(String code, int day) {
        return ((code.hashCode() & 0xffffffffL) << 24) + (DAY_OFFSET + (long) day);
    }

    /**
     * The event's codes qualified by its institution and resource type ({@code tenant|type|system|code}): one exact
     * term per (institution, type, code), so a temporal relation's bucket clauses check scope, type and code with
     * one sparse terms filter instead of three ({@link CohortQueries#eventsOnDays}). Tenant ids and resource types
     * contain no {@code |}, so the form is unambiguous.
     */
    public static List<String> scopedCodes(String tenant, String type, List<?> codes) {
        return codes.stream().map(c -> scopedCode(tenant, type, String.valueOf(c))).distinct().toList();
    }

    public static String scopedCode(String tenant, String type, String code) {
        return tenant + "|" + type + "|" + code;
    }

    /** A document with no entries left describes nobody and is deleted. */
    public static boolean empty(Map<String, Object> doc) {
        return entries(doc, PATIENTS).isEmpty() && entries(doc, EVENTS).isEmpty();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries(Map<String, Object> doc, String field) {
        return (List<Map<String, Object>>) doc.getOrDefault(field, List.of());
    }

    private static Set<String> eventTypes() {
        Set<String> types = new LinkedHashSet<>();
        for (CriterionType t : CriterionType.values()) {
            if (t != CriterionType.DEMOGRAPHICS) {
                types.addAll(t.resourceTypes());
            }
        }
        types.add("Consent");
        return Set.copyOf(types);
    }
}
