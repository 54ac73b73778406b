package health.meridian.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The timeline header reads the Patient as a JSON tree; it must say what HAPI's model would have said. */
class TimelineViewsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void headerFieldsEqualWhatHapisModelGives() {
        List<Patient> patients = List.of(
                patient(new HumanName().addPrefix("Mrs.").addGiven("Eve68").addGiven("Johnsie484").setFamily("Larkin917")
                        .addSuffix("MD"), "1961-04-02", AdministrativeGender.FEMALE),
                patient(new HumanName().setText("Anna de Vries").setFamily("Vries"), "1980", AdministrativeGender.FEMALE),
                patient(new HumanName().setFamily("Bakker"), null, null),
                patient(new HumanName().addGiven("Sophie"), "1990-01-01", AdministrativeGender.OTHER));
        for (Patient p : patients) {
            String json = FHIR.newJsonParser().encodeResourceToString(p);
            TimelineViews.PatientView view = TimelineViews.patientView("p1", json, "Amstel");
            assertEquals(p.getNameFirstRep().getNameAsSingleString(), view.name(), json);
            assertEquals(p.getBirthDateElement().getValueAsString(), view.birthDate(), json);
            assertEquals(p.hasGender() ? p.getGender().toCode() : null, view.gender(), json);
            assertEquals("Amstel", view.institution());
        }
    }

    /** ADR 0017: the entry's time as recorded (offset kept, a date as a date), the UTC instant only for old docs. */
    @Test
    void anEntryCarriesItsTimeAsRecorded() {
        assertEquals("2024-05-01T09:10:00+01:00", TimelineViews.effective(java.util.Map.of(
                "effective", "2024-05-01T08:10:00Z", "effective_recorded", "2024-05-01T09:10:00+01:00")));
        assertEquals("2024-05-01", TimelineViews.effective(java.util.Map.of(
                "effective", "2024-04-30T22:00:00Z", "effective_recorded", "2024-05-01")));
        assertEquals("2024-05-01T08:10:00Z", TimelineViews.effective(java.util.Map.of(
                "effective", "2024-05-01T08:10:00Z")));
    }

    @Test
    void pageJsonIsWhatJsonBWrote() throws Exception {
        var view = new TimelineViews.TimelineView(new TimelineViews.PatientView("p1", "Anna de Vries", "1980", null, "Amstel"),
                List.of(new TimelineViews.EntryView("Observation", "o1", 2, "nl-amstel", "Amstel", "NL",
                        "2025-01-02T10:00:00Z", "vital-signs", "Heart rate", "68 /min", null, false, "final")),
                "cursor", 8868, java.util.Map.of("category", List.of(new TimelineViews.FacetView("lab", "lab", 3))),
                List.of(new TimelineViews.MonthView("2025-01", 7)), "index", false);
        try (jakarta.json.bind.Jsonb jsonb = jakarta.json.bind.JsonbBuilder.create()) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            assertEquals(mapper.readTree(jsonb.toJson(view)), mapper.readTree(TimelineViews.json(view)));
        }
    }

    @Test
    void aPatientWithoutNameSaysSo() {
        assertEquals("(no name)", TimelineViews.patientView("p1", "{\"resourceType\":\"Patient\"}", "x").name());
    }

    private static Patient patient(HumanName name, String birthDate, AdministrativeGender gender) {
        Patient p = new Patient();
        p.addName(name);
        if (birthDate != null) {
            p.getBirthDateElement().setValueAsString(birthDate);
        }
        p.setGender(gender);
        p.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">narrative</div>");
        return p;
    }
}
