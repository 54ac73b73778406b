package health.meridian.search;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Type;

/**
 * The {@code system|code} tokens naming what a record is about, for cohort criteria ({@code concept_codes}):
 * {@code code} of conditions, observations and procedures, the medication concept of medication records,
 * {@code vaccineCode} of immunizations, {@code type} of encounters. The envelope's {@code codes} keeps only the
 * {@code code} element (FHIR's {@code code} search parameter), so medications, vaccines and encounter types need
 * this field.
 */
final class ConceptCodes {

    private ConceptCodes() {
    }

    static List<String> of(IBaseResource resource) {
        List<CodeableConcept> concepts = new ArrayList<>();
        if (resource instanceof Condition c) {
            concepts.add(c.getCode());
        } else if (resource instanceof Observation o) {
            concepts.add(o.getCode());
        } else if (resource instanceof Procedure p) {
            concepts.add(p.getCode());
        } else if (resource instanceof MedicationRequest m) {
            add(concepts, m.getMedication());
        } else if (resource instanceof MedicationStatement m) {
            add(concepts, m.getMedication());
        } else if (resource instanceof MedicationAdministration m) {
            add(concepts, m.getMedication());
        } else if (resource instanceof Immunization i) {
            concepts.add(i.getVaccineCode());
        } else if (resource instanceof Encounter e) {
            concepts.addAll(e.getType());
        }
        List<String> out = new ArrayList<>();
        for (CodeableConcept concept : concepts) {
            for (Coding c : concept.getCoding()) {
                if (c.hasSystem() && c.hasCode() && !out.contains(c.getSystem() + "|" + c.getCode())) {
                    out.add(c.getSystem() + "|" + c.getCode());
                }
            }
        }
        return out;
    }

    private static void add(List<CodeableConcept> concepts, Type medication) {
        if (medication instanceof CodeableConcept concept) {
            concepts.add(concept);
        }
    }
}
