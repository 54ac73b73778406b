package health.meridian.domain.cohort;

import java.util.Arrays;
import java.util.List;

/** The kinds of criteria and the FHIR resource types each one looks at. */
public enum CriterionType {
    DEMOGRAPHICS(List.of("Patient")),
    CONDITION(List.of("Condition")),
    OBSERVATION(List.of("Observation")),
    MEDICATION(List.of("MedicationRequest", "MedicationStatement", "MedicationAdministration")),
    PROCEDURE(List.of("Procedure")),
    IMMUNIZATION(List.of("Immunization")),
    ENCOUNTER(List.of("Encounter"));

    private final List<String> resourceTypes;

    CriterionType(List<String> resourceTypes) {
        this.resourceTypes = resourceTypes;
    }

    public List<String> resourceTypes() {
        return resourceTypes;
    }

    /** Codes are required for every type but demographics and encounter (any encounter in the window). */
    public boolean requiresCodes() {
        return this != DEMOGRAPHICS && this != ENCOUNTER;
    }

    public static CriterionType parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new InvalidCohortException("EHR-0806 unknown criterion type: " + name
                        + " (demographics, condition, observation, medication, procedure, immunization, encounter)"));
    }
}
