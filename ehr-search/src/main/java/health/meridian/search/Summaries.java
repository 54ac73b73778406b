package health.meridian.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * A one-line title and detail for timeline entries, the encounter it belongs to, the numeric value of
 * observations, and the full-text field — derived once at indexing time so the timeline reads no FHIR JSON.
 */
final class Summaries {

    private Summaries() {
    }

    static void describe(IBaseResource resource, Map<String, Object> fields) {
        String title = null;
        String detail = null;
        Reference encounter = null;
        if (resource instanceof Observation o) {
            title = display(o.getCode());
            detail = observationValue(o, fields);
            encounter = o.getEncounter();
        } else if (resource instanceof Condition c) {
            title = display(c.getCode());
            detail = c.hasClinicalStatus() ? display(c.getClinicalStatus()) : null;
            if (c.hasClinicalStatus() && c.getClinicalStatus().hasCoding()) {
                fields.put("status", c.getClinicalStatus().getCodingFirstRep().getCode());
            }
            // issue #20: a problem marked entered in error (it then has no clinical status) is shown as such
            if (c.hasVerificationStatus() && c.getVerificationStatus().getCoding().stream()
                    .anyMatch(v -> "entered-in-error".equals(v.getCode()))) {
                fields.put("status", "entered-in-error");
                detail = "entered in error";
            }
            encounter = c.getEncounter();
        } else if (resource instanceof MedicationRequest m) {
            title = m.hasMedicationCodeableConcept() ? display(m.getMedicationCodeableConcept()) : "Medication order";
            detail = m.hasDosageInstruction() ? m.getDosageInstructionFirstRep().getText() : null;
            encounter = m.getEncounter();
        } else if (resource instanceof Encounter e) {
            title = e.hasType() ? display(e.getTypeFirstRep()) : "Encounter";
            detail = e.hasClass_() ? e.getClass_().getDisplay() : null;
        } else if (resource instanceof Procedure p) {
            title = display(p.getCode());
            encounter = p.getEncounter();
        } else if (resource instanceof Immunization i) {
            title = display(i.getVaccineCode());
            encounter = i.getEncounter();
        } else if (resource instanceof AllergyIntolerance a) {
            title = display(a.getCode());
            detail = a.hasCriticality() ? "criticality " + a.getCriticality().toCode() : null;
        } else if (resource instanceof DiagnosticReport d) {
            title = display(d.getCode());
            encounter = d.getEncounter();
        } else if (resource instanceof DocumentReference d) {
            title = d.hasType() ? display(d.getType()) : d.getDescription();
            detail = d.getDescription();
            if (d.hasContext() && d.getContext().hasEncounter()) {
                encounter = d.getContext().getEncounterFirstRep();
            }
        }
        put(fields, "title", title == null ? resource.fhirType() : title);
        put(fields, "detail", detail);
        if (encounter != null && encounter.getReferenceElement().hasIdPart()) {
            fields.put("encounter", "Encounter/" + encounter.getReferenceElement().getIdPart());
        }
        List<String> text = new ArrayList<>();
        text.add(String.valueOf(fields.get("title")));
        if (detail != null) {
            text.add(detail);
        }
        fields.put("text", String.join(" ", text));
    }

    private static String observationValue(Observation o, Map<String, Object> fields) {
        if (o.hasValueQuantity()) {
            Quantity q = o.getValueQuantity();
            if (q.hasValue()) {
                fields.put("value_quantity", q.getValue().doubleValue());
                fields.put("value_unit", q.hasCode() ? q.getCode() : q.getUnit());
            }
            return q.getValue() == null ? null : q.getValue().stripTrailingZeros().toPlainString()
                    + (q.hasUnit() ? " " + q.getUnit() : "");
        }
        if (o.hasValueCodeableConcept()) {
            return display(o.getValueCodeableConcept());
        }
        if (o.hasComponent()) {
            return componentsText(o);
        }
        return o.hasValueStringType() ? o.getValueStringType().getValue() : null;
    }

    /**
     * A multi-component observation by component code, never by position (issue #20): a blood pressure as
     * "systolic/diastolic unit" (LOINC 8480-6 / 8462-4, whatever order the source wrote them in, as Synthea writes
     * diastolic first); any other as "name value unit; ..." in the order given, each named by its own code.
     */
    static String componentsText(Observation o) {
        Observation.ObservationComponentComponent systolic = component(o, SYSTOLIC);
        Observation.ObservationComponentComponent diastolic = component(o, DIASTOLIC);
        if (systolic != null && diastolic != null) {
            String unit = unit(systolic.getValueQuantity());
            return number(systolic.getValueQuantity()) + "/" + number(diastolic.getValueQuantity())
                    + (unit.isEmpty() ? "" : " " + unit);
        }
        List<String> parts = new ArrayList<>();
        for (Observation.ObservationComponentComponent c : o.getComponent()) {
            if (c.hasValueQuantity() && c.getValueQuantity().hasValue()) {
                String unit = unit(c.getValueQuantity());
                parts.add(display(c.getCode()) + " " + number(c.getValueQuantity())
                        + (unit.isEmpty() ? "" : " " + unit));
            } else if (c.hasValueCodeableConcept()) {
                parts.add(display(c.getCode()) + " " + display(c.getValueCodeableConcept()));
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    static final String SYSTOLIC = "8480-6";
    static final String DIASTOLIC = "8462-4";

    private static Observation.ObservationComponentComponent component(Observation o, String loinc) {
        return o.getComponent().stream()
                .filter(c -> c.hasValueQuantity() && c.getValueQuantity().hasValue())
                .filter(c -> c.getCode().getCoding().stream().anyMatch(k -> loinc.equals(k.getCode())
                        && (!k.hasSystem() || "http://loinc.org".equals(k.getSystem()))))
                .findFirst().orElse(null);
    }

    private static String number(Quantity q) {
        return q.getValue().stripTrailingZeros().toPlainString();
    }

    private static String unit(Quantity q) {
        return q.hasUnit() ? q.getUnit() : q.hasCode() ? q.getCode() : "";
    }

    static String display(CodeableConcept concept) {
        if (concept == null) {
            return null;
        }
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().filter(c -> c.hasDisplay()).map(c -> c.getDisplay()).findFirst()
                .orElse(concept.hasCoding() ? concept.getCodingFirstRep().getCode() : null);
    }

    private static void put(Map<String, Object> fields, String key, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(key, value.length() > 500 ? value.substring(0, 500) : value);
        }
    }
}
