package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class IpsDocumentTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static Patient patient() {
        Patient p = new Patient();
        p.setId("p1");
        p.addName().setFamily("Jansen").addGiven("Anna");
        return p;
    }

    private static Condition condition(String id, String code, String status) {
        Condition c = new Condition();
        c.setId(id);
        c.setSubject(new Reference("Patient/p1"));
        c.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", code, "Problem " + code)));
        c.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", status, null)));
        return c;
    }

    private static Observation lab(String id, String when, double value) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")));
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "4548-4", "HbA1c")));
        o.setSubject(new Reference("Patient/p1"));
        o.setEffective(new DateTimeType(when));
        o.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(value).setUnit("%"));
        return o;
    }

    private static Bundle document(List<Resource> entries) {
        return IpsDocument.of("http://127.0.0.1:8080/fhir", patient(), entries, NOW);
    }

    private static Composition composition(Bundle b) {
        return (Composition) b.getEntryFirstRep().getResource();
    }

    private static List<String> sectionCodes(Bundle b) {
        return composition(b).getSection().stream().map(s -> s.getCode().getCodingFirstRep().getCode()).toList();
    }

    @Test
    void emptyRecordHasTheThreeRequiredSectionsWithAnEmptyReasonAndValidates() {
        Bundle b = document(List.of());
        assertThat(b.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
        assertThat(composition(b).getType().getCodingFirstRep().getCode()).isEqualTo("60591-5");
        assertThat(sectionCodes(b)).containsExactly("11450-4", "10160-0", "48765-2");
        assertThat(composition(b).getSectionFirstRep().getEmptyReason().getCodingFirstRep().getCode())
                .isEqualTo("unavailable");
        assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(b))).isEmpty();
    }

    @Test
    void entriesGoToTheirSectionsLatestResultPerCodeAndTheDocumentValidates() {
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.setId("a1");
        allergy.setPatient(new Reference("Patient/p1"));
        allergy.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null)));
        allergy.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "91936005", "Penicillin allergy")));
        Immunization flu = new Immunization();
        flu.setId("i1");
        flu.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        flu.setPatient(new Reference("Patient/p1"));
        flu.setVaccineCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/cvx", "140", "Influenza")));
        flu.setOccurrence(new DateTimeType("2025-10-01"));
        Bundle b = document(List.of(condition("c1", "44054006", "active"), condition("c2", "195662009", "resolved"),
                allergy, flu, lab("o1", "2024-01-01", 7.1), lab("o2", "2025-06-01", 6.4)));

        assertThat(sectionCodes(b)).containsExactly("11450-4", "10160-0", "48765-2", "11369-6", "30954-2", "11348-0");
        Composition c = composition(b);
        assertThat(c.getSection().get(0).getEntry()).extracting(Reference::getReference).containsExactly("Condition/c1");
        assertThat(c.getSection().get(4).getEntry()).extracting(Reference::getReference)
                .as("latest HbA1c only").containsExactly("Observation/o2");
        assertThat(b.getEntry()).extracting(e -> e.getFullUrl()).contains(
                "http://127.0.0.1:8080/fhir/Patient/p1", "http://127.0.0.1:8080/fhir/Condition/c1");
        assertThat(c.getSection().get(2).getText().getDivAsString()).contains("Penicillin allergy");
        List<String> errors = R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(b));
        assertThat(errors).isEmpty();
    }

    @Test
    void theValidatorRejectsADocumentWithoutComposition() {
        Bundle b = document(List.of());
        b.getEntry().remove(0);
        assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(b))).isNotEmpty();
    }

    private static org.hl7.fhir.r4.model.MedicationRequest prescription(String id, String status) {
        org.hl7.fhir.r4.model.MedicationRequest m = new org.hl7.fhir.r4.model.MedicationRequest();
        m.setId(id);
        m.setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.fromCode(status));
        m.setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.ORDER);
        m.setSubject(new Reference("Patient/p1"));
        m.setMedication(new Reference("Medication/med-" + id));
        m.setRequester(new Reference("Practitioner/dr1"));
        m.setEncounter(new Reference("Encounter/e-unseen"));
        return m;
    }

    @Test
    void theMedicationListHoldsOnlyCurrentMedication() {
        List<Resource> all = List.of(prescription("now", "active"), prescription("paused", "on-hold"),
                prescription("stopped", "stopped"), prescription("done", "completed"),
                prescription("wrong", "entered-in-error"));
        assertThat(IpsDocument.selected(all)).extracting(r -> r.getIdElement().getIdPart())
                .containsExactly("now", "paused");
        Bundle b = document(all);
        assertThat(b.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .doesNotContain("stopped", "done", "wrong");
    }

    @Test
    void everyReferenceResolvesInsideTheDocument() {
        org.hl7.fhir.r4.model.MedicationRequest now = prescription("now", "active");
        assertThat(IpsDocument.references(now))
                .contains("Medication/med-now", "Practitioner/dr1", "Encounter/e-unseen", "Patient/p1");
        org.hl7.fhir.r4.model.Medication medication = new org.hl7.fhir.r4.model.Medication();
        medication.setId("med-now");
        medication.getCode().setText("metformin 500 mg");
        medication.setManufacturer(new Reference("Organization/o1"));
        org.hl7.fhir.r4.model.Practitioner doctor = new org.hl7.fhir.r4.model.Practitioner();
        doctor.setId("dr1");
        doctor.addName().setFamily("Jansen");
        Bundle b = IpsDocument.of("http://127.0.0.1:8080/fhir", patient(), List.of(now), List.of(),
                List.of(medication, doctor), NOW);

        assertThat(IpsDocument.unresolved(b)).isEmpty();
        assertThat(b.getEntry()).extracting(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement()
                .getIdPart()).contains("Medication/med-now", "Practitioner/dr1");
        org.hl7.fhir.r4.model.MedicationRequest held = (org.hl7.fhir.r4.model.MedicationRequest) b.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource).filter(r -> r.fhirType().equals("MedicationRequest"))
                .findFirst().orElseThrow();
        assertThat(held.getEncounter().hasReference()).as("not held: display only").isFalse();
        assertThat(held.getEncounter().getDisplay()).isEqualTo("Encounter (not included)");
        assertThat(medication.getManufacturer().hasReference()).isFalse();
        assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(b))).isEmpty();
    }
}
