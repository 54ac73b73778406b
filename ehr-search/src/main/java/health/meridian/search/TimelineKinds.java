package health.meridian.search;

import java.util.List;
import java.util.Map;

/** The timeline category of an entry: the observation category when there is one, else a kind per type. */
public final class TimelineKinds {

    private static final Map<String, String> BY_TYPE = Map.ofEntries(
            Map.entry("Encounter", "encounter"), Map.entry("Condition", "problem"),
            Map.entry("MedicationRequest", "medication"), Map.entry("MedicationStatement", "medication"),
            Map.entry("MedicationAdministration", "medication"), Map.entry("AllergyIntolerance", "allergy"),
            Map.entry("Procedure", "procedure"), Map.entry("Immunization", "immunization"),
            Map.entry("DiagnosticReport", "report"), Map.entry("DocumentReference", "document"),
            Map.entry("CarePlan", "care-plan"), Map.entry("CareTeam", "care-team"), Map.entry("Claim", "billing"),
            Map.entry("ExplanationOfBenefit", "billing"), Map.entry("ImagingStudy", "imaging"),
            Map.entry("Device", "device"), Map.entry("SupplyDelivery", "supply"), Map.entry("Consent", "consent"));

    private TimelineKinds() {
    }

    public static String of(String type, List<String> categoryCodes) {
        if ("Observation".equals(type)) {
            return categoryCodes.isEmpty() ? "observation" : categoryCodes.get(0);
        }
        return BY_TYPE.getOrDefault(type, type.toLowerCase());
    }
}
