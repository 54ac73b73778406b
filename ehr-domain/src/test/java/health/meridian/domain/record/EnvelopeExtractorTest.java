package health.meridian.domain.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class EnvelopeExtractorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final EnvelopeExtractor extractor = new EnvelopeExtractor(FHIR);

    @Test
    void observationEnvelopeCarriesPatientTimeCategoryCodesAndLabels() {
        Observation obs = FHIR.newJsonParser().parseResource(Observation.class, """
                {"resourceType":"Observation","status":"final",
                 "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}]},
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
                   "code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}]},
                 "identifier":[{"system":"urn:lab","value":"L-1"}],
                 "subject":{"reference":"Patient/p1"},
                 "effectiveDateTime":"2024-05-01T10:00:00Z",
                 "performer":[{"reference":"Practitioner/x"}]}""");

        RecordEnvelope envelope = extractor.extract(obs, "o1");

        assertThat(envelope.patientRef()).isEqualTo("Patient/p1");
        assertThat(envelope.effectiveAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(envelope.category())
                .containsExactly("http://terminology.hl7.org/CodeSystem/observation-category|laboratory");
        assertThat(envelope.codes()).containsExactly("http://loinc.org|4548-4");
        assertThat(envelope.identifiers()).containsExactly("urn:lab|L-1");
        assertThat(envelope.sensitivity()).containsExactly("http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY");
        assertThat(envelope.author()).isEqualTo("Practitioner/x");
    }

    @Test
    void patientIsItsOwnPatientReference() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:mrn").setValue("123");
        RecordEnvelope envelope = extractor.extract(patient, "abc");
        assertThat(envelope.patientRef()).isEqualTo("Patient/abc");
        assertThat(envelope.identifiers()).containsExactly("urn:mrn|123");
        assertThat(envelope.codes()).isEmpty();
    }

    @Test
    void resourceKeyRefusesMissingTenantAndBadIds() {
        assertThatThrownBy(() -> new ResourceKey(null, "Patient", "1")).hasMessageStartingWith("EHR-0110");
        assertThatThrownBy(() -> new ResourceKey(TenantId.of("nl-amstel"), "patient", "1"))
                .hasMessageStartingWith("EHR-0111");
        assertThatThrownBy(() -> new ResourceKey(TenantId.of("nl-amstel"), "Patient", "a/b"))
                .hasMessageStartingWith("EHR-0112");
    }
}
