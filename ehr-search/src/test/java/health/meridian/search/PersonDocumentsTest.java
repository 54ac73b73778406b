package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonDocumentsTest {

    private static IndexedRecord record(String type, String id, int version, boolean deleted, String person,
                                        String effective) {
        RecordEnvelope envelope = new RecordEnvelope("Patient/p1", effective == null ? null : Instant.parse(effective),
                List.of(), List.of(), List.of(), List.of(), null);
        StoredResource s = new StoredResource(new ResourceKey(TenantId.of("nl-amstel"), type, id), version, person,
                deleted, deleted ? null : "{}", Instant.now(), envelope);
        return new IndexedRecord(s, Map.of("concept_codes", List.of("sct|44054006"), "status", "active"));
    }

    private static Map<String, Object> applied(IndexedRecord... records) {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (IndexedRecord r : records) {
            PersonDocuments.change(r).ifPresent(c -> PersonDocuments.apply(doc, c));
        }
        return doc;
    }

    @Test
    void aBatchAppliedInOnePassEndsAsItsChangesAppliedOneByOne() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            Map<String, Object> start = applied(record("Patient", "p1", 1, false, "person-1", null),
                    record("Condition", "c0", 2, false, "person-1", "2024-01-01T00:00:00Z"));
            List<PersonDocuments.Change> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String type = random.nextInt(6) == 0 ? "Patient" : "Condition";
                String id = (type.equals("Patient") ? "p" : "c") + random.nextInt(5);
                PersonDocuments.change(record(type, id, 1 + random.nextInt(4), random.nextInt(5) == 0, "person-1",
                        "2024-0" + (1 + random.nextInt(9)) + "-01T00:00:00Z")).ifPresent(batch::add);
            }
            Map<String, Object> oneByOne = new LinkedHashMap<>(start);
            batch.forEach(c -> PersonDocuments.apply(oneByOne, c));
            Map<String, Object> onePass = new LinkedHashMap<>(start);
            PersonDocuments.applyAll(onePass, batch);
            assertThat(onePass).isEqualTo(oneByOne);
        }
    }

    @Test
    void anEventCarriesTheRecordsCohortFactsKeyedByRecord() {
        Map<String, Object> doc = applied(record("Condition", "c1", 1, false, "person-1", "2024-03-05T23:30:00Z"));
        Map<String, Object> event = PersonDocuments.entries(doc, "events").get(0);
        assertThat(doc).containsEntry("person", "person-1");
        assertThat(event).containsEntry("key", "nl-amstel/Condition/c1").containsEntry("tenant", "nl-amstel")
                .containsEntry("type", "Condition").containsEntry("codes", List.of("sct|44054006"))
                .containsEntry("day", (int) java.time.LocalDate.of(2024, 3, 5).toEpochDay());
    }

    @Test
    void aNewVersionReplacesItsEntryADeletionRemovesItAnOlderVersionChangesNothing() {
        IndexedRecord v1 = record("Condition", "c1", 1, false, "person-1", "2024-01-01T00:00:00Z");
        IndexedRecord v2 = record("Condition", "c1", 2, false, "person-1", "2024-02-01T00:00:00Z");
        IndexedRecord other = record("Observation", "o1", 1, false, "person-1", "2024-01-01T00:00:00Z");
        Map<String, Object> doc = applied(v1, other, v2, v1);
        assertThat(PersonDocuments.entries(doc, "events")).hasSize(2)
                .anySatisfy(e -> assertThat(e).containsEntry("version", 2L).containsEntry("effective",
                        "2024-02-01T00:00:00Z"));
        Map<String, Object> again = applied(v1, other, v2, v1, v2);
        assertThat(again).isEqualTo(doc);
        PersonDocuments.change(record("Condition", "c1", 3, true, "person-1", null))
                .ifPresent(c -> PersonDocuments.apply(doc, c));
        assertThat(PersonDocuments.entries(doc, "events")).extracting(e -> e.get("key"))
                .containsExactly("nl-amstel/Observation/o1");
    }

    @Test
    void recordsOfNoPersonOrOfOtherTypesAreNoEntries() {
        assertThat(PersonDocuments.change(record("Condition", "c1", 1, false, null, null))).isEmpty();
        assertThat(PersonDocuments.change(record("Practitioner", "x", 1, false, "person-1", null))).isEmpty();
        assertThat(PersonDocuments.change(record("Patient", "p1", 1, false, "person-1", null)).get().field())
                .isEqualTo("patients");
    }

    @Test
    void aDocumentWithoutEntriesIsEmpty() {
        Map<String, Object> doc = applied(record("Patient", "p1", 1, false, "person-1", null));
        assertThat(PersonDocuments.empty(doc)).isFalse();
        PersonDocuments.remove(doc, "nl-amstel/Patient/p1");
        assertThat(PersonDocuments.empty(doc)).isTrue();
    }

    @Test
    void aPersonWithExactlyOnePatientRecordCarriesItsSoloCopy() {
        Map<String, Object> doc = applied(record("Patient", "p1", 1, false, "person-1", null),
                record("Condition", "c1", 1, false, "person-1", "2024-01-01T00:00:00Z"));
        assertThat(doc).containsKey("solo");
        assertThat(((Map<?, ?>) doc.get("solo")).get("tenant")).isEqualTo("nl-amstel");
        PersonDocuments.change(record("Patient", "p2", 1, false, "person-1", null))
                .ifPresent(c -> PersonDocuments.apply(doc, c));
        assertThat(doc).as("two patient records: the breakdowns must take the nested path").doesNotContainKey("solo");
        PersonDocuments.remove(doc, "nl-amstel/Patient/p1");
        assertThat(doc).containsKey("solo");
        PersonDocuments.remove(doc, "nl-amstel/Patient/p2");
        assertThat(doc).doesNotContainKey("solo");
    }

    @Test
    void codeDaysOfOneCodeAreContiguousAndApartFromOtherCodes() {
        int day = (int) java.time.LocalDate.of(2024, 3, 5).toEpochDay();
        Map<String, Object> event = PersonDocuments.entries(applied(record("Condition", "c1", 1, false, "person-1",
                "2024-03-05T10:00:00Z")), "events").get(0);
        assertThat(event.get("code_day")).isEqualTo(List.of(PersonDocuments.codeDay("sct|44054006", day)));
        long inside = PersonDocuments.codeDay("sct|44054006", day);
        assertThat(inside).isGreaterThanOrEqualTo(PersonDocuments.codeDay("sct|44054006", day))
                .isLessThan(PersonDocuments.codeDay("sct|44054006", day + 1));
        assertThat(PersonDocuments.codeDay("sct|44054006", day + 1) - PersonDocuments.codeDay("sct|44054006", day))
                .isEqualTo(1);
        long other = PersonDocuments.codeDay("sct|73211009", day);
        assertThat(other >= PersonDocuments.codeDay("sct|44054006", day - 40_000)
                && other < PersonDocuments.codeDay("sct|44054006", day + 40_000)).isFalse();
        assertThat(PersonDocuments.codeDay("sct|44054006", -25_000)).as("days before 1970 stay in their code's range")
                .isGreaterThan(PersonDocuments.codeDay("sct|44054006", -100_000));
        assertThat(PersonDocuments.codeDays(List.of("sct|44054006"), -PersonDocuments.DAY_OFFSET - 1))
                .as("a day code_day cannot encode gets no value (it would fall into another code's range)").isEmpty();
        assertThat(event.get("scoped_codes")).as("institution, resource type and code of the event")
                .isEqualTo(List.of("nl-amstel|Condition|sct|44054006"));
    }
}
