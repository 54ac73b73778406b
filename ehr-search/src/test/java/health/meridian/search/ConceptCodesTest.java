package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ConceptCodesTest {

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    @Test
    void eachTypeContributesTheConceptItIsAbout() {
        Observation o = new Observation();
        o.setCode(concept("http://loinc.org", "4548-4"));
        assertThat(ConceptCodes.of(o)).containsExactly("http://loinc.org|4548-4");
        MedicationRequest m = new MedicationRequest();
        m.setMedication(concept("rx", "860975"));
        assertThat(ConceptCodes.of(m)).containsExactly("rx|860975");
        m.setMedication(new Reference("Medication/1"));
        assertThat(ConceptCodes.of(m)).isEmpty();
        Immunization i = new Immunization();
        i.setVaccineCode(concept("cvx", "140"));
        assertThat(ConceptCodes.of(i)).containsExactly("cvx|140");
        Encounter e = new Encounter();
        e.addType(concept("sct", "1")).addType(concept("sct", "1")).addType(new CodeableConcept(new Coding(null, "x", null)));
        assertThat(ConceptCodes.of(e)).containsExactly("sct|1");
    }
}
