package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timeline's index fields (issue #20): components by code, the effective time as recorded. */
class TimelineFieldsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Map<String, Object> fields(String json) {
        RecordEnvelope envelope = new RecordEnvelope("Patient/p1", Instant.parse("2024-05-01T08:10:00Z"),
                List.of(), List.of(), List.of(), List.of(), null);
        StoredResource s = new StoredResource(new ResourceKey(TenantId.of("nl-amstel"), "Observation", "o1"), 1,
                "person-1", false, json, Instant.now(), envelope);
        return new SearchDocuments(FHIR).toIndexed(s).searchFields();
    }

    private static String component(String code, int value) {
        return "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]},"
                + "\"valueQuantity\":{\"value\":" + value + ",\"unit\":\"mmHg\"}}";
    }

    private static String bloodPressure(String effective, String... components) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"85354-9\"}],\"text\":\"Blood pressure panel\"},"
                + "\"subject\":{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":\"" + effective + "\","
                + "\"component\":[" + String.join(",", components) + "]}";
    }

    @Test
    void aDiastolicFirstBloodPressureIsShownSystolicOverDiastolic() {
        Map<String, Object> f = fields(bloodPressure("2024-05-01T09:10:00+01:00",
                component("8462-4", 82), component("8480-6", 131)));
        assertThat(f).containsEntry("detail", "131/82 mmHg");
    }

    @Test
    void aSystolicFirstBloodPressureReadsTheSame() {
        assertThat(fields(bloodPressure("2024-05-01", component("8480-6", 131), component("8462-4", 82))))
                .containsEntry("detail", "131/82 mmHg");
    }

    @Test
    void otherComponentsAreNamedByTheirOwnCode() {
        String json = bloodPressure("2024-05-01", "{\"code\":{\"text\":\"Left eye\"},\"valueQuantity\":{\"value\":14,"
                + "\"unit\":\"mmHg\"}}", "{\"code\":{\"text\":\"Right eye\"},\"valueQuantity\":{\"value\":16,"
                + "\"unit\":\"mmHg\"}}");
        assertThat(fields(json)).containsEntry("detail", "Left eye 14 mmHg; Right eye 16 mmHg");
    }

    @Test
    void theEffectiveTimeIsKeptAsRecordedWithItsOffset() {
        assertThat(fields(bloodPressure("2024-05-01T09:10:00+01:00", component("8480-6", 131))))
                .containsEntry("effective_recorded", "2024-05-01T09:10:00+01:00");
    }

    @Test
    void aDateOnlyValueStaysADate() {
        assertThat(fields(bloodPressure("2024-05-01", component("8480-6", 131))))
                .containsEntry("effective_recorded", "2024-05-01");
    }

    @Test
    void aProblemEnteredInErrorSaysSo() {
        String json = "{\"resourceType\":\"Condition\",\"verificationStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"entered-in-error\"}]},"
                + "\"code\":{\"text\":\"Hypertension\"},\"subject\":{\"reference\":\"Patient/p1\"}}";
        assertThat(fields(json)).containsEntry("status", "entered-in-error").containsEntry("detail", "entered in error");
    }

    @Test
    void anActiveProblemKeepsItsClinicalStatus() {
        String json = "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},"
                + "\"code\":{\"text\":\"Hypertension\"},\"subject\":{\"reference\":\"Patient/p1\"}}";
        assertThat(fields(json)).containsEntry("status", "active");
    }
}
