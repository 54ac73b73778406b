package health.meridian.web.fhir;

import java.util.Date;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/** One-line, human-readable labels of resources for document narratives (no clinical interpretation). */
final class Displays {

    private static final String[] CODE_FIELDS = {"code", "medicationCodeableConcept", "vaccineCode"};
    private static final String[] TIME_FIELDS = {"effective[x]", "onset[x]", "occurrence[x]", "performed[x]",
        "authoredOn", "recordedDate", "issued"};

    private Displays() {
    }

    static String of(Resource r) {
        if (r instanceof Patient p) {
            return p.getNameFirstRep().getNameAsSingleString().isBlank() ? "Patient " + p.getIdElement().getIdPart()
                    : p.getNameFirstRep().getNameAsSingleString();
        }
        CodeableConcept code = code(r);
        String text = code == null ? null : code.hasText() ? code.getText()
                : code.getCodingFirstRep().hasDisplay() ? code.getCodingFirstRep().getDisplay()
                : code.getCodingFirstRep().getCode();
        Date when = when(r);
        return r.fhirType() + ": " + (text == null ? "(no code)" : text)
                + (when == null ? "" : " (" + when.toInstant().toString().substring(0, 10) + ")");
    }

    static String codeKey(Resource r) {
        CodeableConcept code = code(r);
        return code == null ? r.getIdElement().getIdPart()
                : code.getCodingFirstRep().getSystem() + "|" + code.getCodingFirstRep().getCode();
    }

    static Date when(Resource r) {
        for (String field : TIME_FIELDS) {
            Property p = r.getNamedProperty(field);
            if (p != null && p.hasValues()) {
                Base v = p.getValues().get(0);
                if (v instanceof org.hl7.fhir.r4.model.DateTimeType d) {
                    return d.getValue();
                }
                if (v instanceof org.hl7.fhir.r4.model.InstantType i) {
                    return i.getValue();
                }
                if (v instanceof org.hl7.fhir.r4.model.Period period && period.hasStart()) {
                    return period.getStart();
                }
            }
        }
        return null;
    }

    private static CodeableConcept code(Resource r) {
        for (String field : CODE_FIELDS) {
            Property p = r.getNamedProperty(field);
            if (p != null && p.hasValues() && p.getValues().get(0) instanceof CodeableConcept c) {
                return c;
            }
        }
        return null;
    }

}
