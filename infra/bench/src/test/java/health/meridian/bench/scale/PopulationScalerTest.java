package health.meridian.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.BenchException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class PopulationScalerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATIENT_UUID = "1e621f4c-db30-c273-49e9-2dcad508a9cb";
    private static final String ENCOUNTER_UUID = "5a3b1c2d-0000-4000-8000-000000000001";

    private static ObjectNode syntheaBundle() throws Exception {
        return (ObjectNode) JSON.readTree("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:%1$s","request":{"method":"POST","url":"Patient"},
               "resource":{"resourceType":"Patient","id":"%1$s","gender":"female","birthDate":"1980-03-15",
                 "identifier":[{"system":"https://github.com/synthetichealth/synthea","value":"%1$s"},
                               {"system":"http://hl7.org/fhir/sid/us-ssn","value":"999-35-9473"}],
                 "name":[{"use":"official","family":"Glover433","given":["Jessie665"]}],
                 "address":[{"city":"Whitman","state":"MA","country":"US"}]}},
              {"fullUrl":"urn:uuid:%2$s","request":{"method":"POST","url":"Encounter"},
               "resource":{"resourceType":"Encounter","id":"%2$s",
                 "identifier":[{"system":"https://github.com/synthetichealth/synthea","value":"%2$s"}],
                 "subject":{"reference":"urn:uuid:%1$s","display":"Mrs. Jessie665 Glover433"},
                 "participant":[{"individual":{"reference":"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999984591"}}],
                 "period":{"start":"2020-01-10T08:00:00+01:00","end":"2020-01-10T08:30:00+01:00"}}}]}
            """.formatted(PATIENT_UUID, ENCOUNTER_UUID));
    }

    private static JsonNode resource(ObjectNode bundle, int i) {
        return bundle.path("entry").get(i).path("resource");
    }

    @Test
    void cloneGetsNewIdentityAndKeepsItsReferencesConsistent() throws Exception {
        ObjectNode clone = new PopulationScaler(42).clone(syntheaBundle(), 0);

        JsonNode patient = resource(clone, 0);
        String newId = patient.path("id").asText();
        assertThat(newId).isNotEqualTo(PATIENT_UUID).hasSize(36);
        assertThat(clone.path("entry").get(0).path("fullUrl").asText()).isEqualTo("urn:uuid:" + newId);
        assertThat(patient.path("identifier").get(0).path("value").asText()).isEqualTo(newId);
        assertThat(patient.path("identifier").get(1).path("value").asText()).isNotEqualTo("999-35-9473");
        assertThat(resource(clone, 1).path("subject").path("reference").asText()).isEqualTo("urn:uuid:" + newId);
        assertThat(resource(clone, 1).path("id").asText()).isNotEqualTo(ENCOUNTER_UUID);
        assertThat(clone.toString()).doesNotContain(PATIENT_UUID).doesNotContain(ENCOUNTER_UUID);
    }

    @Test
    void evenClonesLiveInTheNetherlandsOddClonesInGermany() throws Exception {
        PopulationScaler scaler = new PopulationScaler(42);
        JsonNode nl = resource(scaler.clone(syntheaBundle(), 0), 0);
        JsonNode de = resource(scaler.clone(syntheaBundle(), 1), 0);

        assertThat(nl.path("address").get(0).path("country").asText()).isEqualTo("NL");
        assertThat(nl.path("address").get(0).path("city").asText()).isEqualTo("Amsterdam");
        assertThat(de.path("address").get(0).path("country").asText()).isEqualTo("DE");
        assertThat(nl.path("name").get(0).path("family").asText()).isNotEqualTo("Glover433");
        assertThat(de.path("name").get(0).path("given").get(0).asText()).isNotEqualTo("Jessie665");
    }

    @Test
    void nameRepeatedInDisplaysIsReplacedToo() throws Exception {
        ObjectNode clone = new PopulationScaler(42).clone(syntheaBundle(), 3);
        JsonNode name = resource(clone, 0).path("name").get(0);

        assertThat(clone.toString()).doesNotContain("Glover433").doesNotContain("Jessie665");
        assertThat(resource(clone, 1).path("subject").path("display").asText())
                .isEqualTo("Mrs. " + name.path("given").get(0).asText() + " " + name.path("family").asText());
    }

    @Test
    void everyDateMovesBackByTheSameNumberOfDays() throws Exception {
        ObjectNode clone = new PopulationScaler(7).clone(syntheaBundle(), 5);

        LocalDate birth = LocalDate.parse(resource(clone, 0).path("birthDate").asText());
        long birthShift = ChronoUnit.DAYS.between(LocalDate.parse("1980-03-15"), birth);
        OffsetDateTime start = OffsetDateTime.parse(resource(clone, 1).path("period").path("start").asText());
        long encounterShift = ChronoUnit.DAYS.between(OffsetDateTime.parse("2020-01-10T08:00:00+01:00"), start);

        assertThat(birthShift).isBetween(-365L, -1L).isEqualTo(encounterShift);
        assertThat(start.getOffset().toString()).isEqualTo("+01:00");
    }

    @Test
    void sharedPractitionerReferencesAreKept() throws Exception {
        ObjectNode clone = new PopulationScaler(42).clone(syntheaBundle(), 2);

        assertThat(resource(clone, 1).path("participant").get(0).path("individual").path("reference").asText())
                .isEqualTo("Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999984591");
    }

    @Test
    void sameSeedAndIndexGiveTheSameCloneAndOtherIndexesDiffer() throws Exception {
        PopulationScaler scaler = new PopulationScaler(42);

        assertThat(scaler.clone(syntheaBundle(), 4)).isEqualTo(new PopulationScaler(42).clone(syntheaBundle(), 4));
        assertThat(resource(scaler.clone(syntheaBundle(), 4), 0).path("id").asText())
                .isNotEqualTo(resource(scaler.clone(syntheaBundle(), 6), 0).path("id").asText());
    }

    @Test
    void sourceBundleIsLeftUntouched() throws Exception {
        ObjectNode source = syntheaBundle();
        new PopulationScaler(42).clone(source, 1);

        assertThat(source).isEqualTo(syntheaBundle());
    }

    @Test
    void bundleWithoutPatientIsRefusedWithItsCode() throws Exception {
        ObjectNode noPatient = (ObjectNode) JSON.readTree("{\"resourceType\":\"Bundle\",\"entry\":[]}");

        assertThatThrownBy(() -> new PopulationScaler(1).clone(noPatient, 0))
                .isInstanceOf(BenchException.class).hasMessageStartingWith("BENCH-0401");
    }
}
