package health.meridian.web.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.UUID;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Strict parsing of ndjson lines and the job's reference integrity (issue #22). */
class LineParserTest {

    private static FhirContext fhir;
    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000022");

    @BeforeAll
    static void context() {
        fhir = FhirContext.forR4();
        fhir.setParserErrorHandler(new StrictErrorHandler());
    }

    private static JobIds ids(String ndjson) throws Exception {
        JobIds ids = new JobIds(JOB);
        ids.scan(new BufferedReader(new StringReader(ndjson)));
        return ids;
    }

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"system\":"
            + "\"urn:mrn\",\"value\":\"42\"}]}";

    @Test
    void referencesToTheJobsOwnResourcesPointAtTheirDerivedIds() throws Exception {
        JobIds ids = ids(PATIENT + "\n");
        LineParser parser = new LineParser(fhir);
        String line = "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/p1\"},\"performer\":[{\"reference\":\"urn:uuid:p1\"},"
                + "{\"reference\":\"Patient?identifier=urn:mrn|42\"},{\"reference\":\"Practitioner/stored\"}]}";
        ParsedLine parsed = parser.parse(ids, "Observation", 1, 3, line);
        assertThat(parsed.ok()).as(parsed.error()).isTrue();
        Observation o = (Observation) parsed.resource();
        String patient = "Patient/" + ids.id("Patient", "p1");
        assertThat(o.getIdElement().getIdPart()).isEqualTo(ids.id("Observation", "o1"));
        assertThat(o.getSubject().getReference()).isEqualTo(patient);
        assertThat(o.getPerformer()).extracting(r -> r.getReference())
                .containsExactly(patient, patient, "Practitioner/stored");
        assertThat(parsed.external()).containsExactly("Practitioner/stored");
        assertThat(ids.id("Observation", "o1")).as("the same id in every run").isEqualTo(
                new JobIds(JOB).id("Observation", "o1"));
    }

    @Test
    void unknownElementsBadPrimitivesWrongTypesAndUnknownUuidsRefuseTheLine() throws Exception {
        JobIds ids = ids(PATIENT + "\n");
        LineParser parser = new LineParser(fhir);
        assertThat(parser.parse(ids, "Patient", 0, 1, "{\"resourceType\":\"Patient\",\"colour\":\"blue\"}").error())
                .startsWith("EHR-1010");
        assertThat(parser.parse(ids, "Patient", 0, 2, "{\"resourceType\":\"Patient\",\"birthDate\":\"soon\"}")
                .error()).startsWith("EHR-1010");
        assertThat(parser.parse(ids, "Patient", 0, 3, "{not json").error()).startsWith("EHR-1010");
        assertThat(parser.parse(ids, "Observation", 0, 4, PATIENT).error()).startsWith("EHR-1011");
        assertThat(parser.parse(ids, "Observation", 0, 5, "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"urn:uuid:nobody\"}}").error())
                .isEqualTo("EHR-1012 unknown reference urn:uuid:nobody");
    }
}
