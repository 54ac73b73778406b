package health.meridian.web.fhir.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The search parameters Meridian serves from the mirror, per resource type: name, kind and the indexed field.
 * The CapabilityStatement lists exactly these; anything else is refused with an OperationOutcome.
 */
public final class SearchParameters {

    /** How a parameter's value is interpreted. */
    public enum Kind { TOKEN, STRING, DATE, REFERENCE, QUANTITY, TEXT, ID }

    /** One parameter: its kind, the indexed field, and the FHIR path of a reference (for _include). */
    public record Param(String name, Kind kind, String field, String referencePath, boolean sortable) {
    }

    private static final Set<String> WITH_PATIENT = Set.of("Encounter", "Condition", "Observation",
            "MedicationRequest", "MedicationStatement", "MedicationAdministration", "AllergyIntolerance",
            "Procedure", "Immunization", "DiagnosticReport", "DocumentReference", "CarePlan", "CareTeam", "Consent",
            "Claim", "ExplanationOfBenefit", "Device", "ImagingStudy", "SupplyDelivery");

    private static final Map<String, String> PATIENT_PATH = Map.of("AllergyIntolerance", "patient",
            "Immunization", "patient", "Consent", "patient", "Claim", "patient", "ExplanationOfBenefit", "patient",
            "Device", "patient", "SupplyDelivery", "patient");

    private SearchParameters() {
    }

    public static Map<String, Param> forType(String type) {
        Map<String, Param> p = new LinkedHashMap<>();
        put(p, new Param("_id", Kind.ID, "id", null, false));
        put(p, new Param("_lastUpdated", Kind.DATE, "lastUpdated", null, true));
        put(p, new Param("_text", Kind.TEXT, "text", null, false));
        put(p, new Param("_content", Kind.TEXT, "text", null, false));
        put(p, new Param("identifier", Kind.TOKEN, "identifiers", null, false));
        if ("Patient".equals(type)) {
            put(p, new Param("name", Kind.STRING, "name_folded", null, false));
            put(p, new Param("family", Kind.STRING, "family_folded", null, true));
            put(p, new Param("given", Kind.STRING, "given_folded", null, true));
            put(p, new Param("birthdate", Kind.DATE, "birthdate", null, true));
            put(p, new Param("gender", Kind.TOKEN, "gender", null, false));
        }
        if (WITH_PATIENT.contains(type)) {
            String path = type + "." + PATIENT_PATH.getOrDefault(type, "subject");
            put(p, new Param("patient", Kind.REFERENCE, "patient", path, false));
            put(p, new Param("subject", Kind.REFERENCE, "patient", path, false));
            put(p, new Param("code", Kind.TOKEN, "codes", null, false));
            put(p, new Param("category", Kind.TOKEN, "category", null, false));
            put(p, new Param("status", Kind.TOKEN, "status", null, false));
            put(p, new Param("date", Kind.DATE, "effective", null, true));
            put(p, new Param("encounter", Kind.REFERENCE, "encounter", type + ".encounter", false));
        }
        if ("Condition".equals(type)) {
            put(p, new Param("clinical-status", Kind.TOKEN, "status", null, false));
            put(p, new Param("onset-date", Kind.DATE, "effective", null, true));
        }
        if ("Observation".equals(type)) {
            put(p, new Param("value-quantity", Kind.QUANTITY, "value_quantity", null, true));
        }
        return p;
    }

    public static Optional<Param> find(String type, String name) {
        return Optional.ofNullable(forType(type).get(name));
    }

    public static String supportedNames(String type) {
        return String.join(", ", new TreeSet<>(forType(type).keySet()));
    }

    public static List<String> referenceTypes(Param param) {
        return "patient".equals(param.field()) ? List.of("Patient") : List.of("Encounter");
    }

    private static void put(Map<String, Param> map, Param param) {
        map.put(param.name(), param);
    }
}
