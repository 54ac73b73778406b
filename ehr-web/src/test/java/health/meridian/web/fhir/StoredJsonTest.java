package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.tenant.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stored record written from its stored JSON ({@link StoredJson}, {@link StoredJsonParser}) is byte for byte what
 * HAPI's encoder writes for the parsed record, on records nobody here wrote: Synthea's (the test population) and the
 * FHIR specification's own definitions of the R4 data types (HAPI's copy: every kind of element, extensions on
 * primitives, choice types), each stored the way PostgreSQL's jsonb gives it back (members reordered, spaced).
 */
class StoredJsonTest {

    private static final FhirContext PLAIN = strict(FhirContext.forR4());
    private static final FhirContext CONTEXT = strict(new StoredJsonFhirContext());
    private static final RecordResources RESOURCES = new RecordResources(CONTEXT);
    private static final StoredJson STORED = new StoredJson(CONTEXT);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> CORPUS = new ArrayList<>();

    private static FhirContext strict(FhirContext c) {
        c.setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler());
        c.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return c;
    }

    @BeforeAll
    static void corpus() throws IOException {
        IParser json = PLAIN.newJsonParser();
        for (String name : List.of("Alesha810_Grant908_e2b62842-2715-6c67-0e4f-cc5834c975b7.json.gz",
                "Leonardo412_Feeney44_1f84d0f1-976e-1a46-e50e-f5d3d421f41a.json.gz",
                "hospitalInformation1796050921157.json.gz")) {
            try (InputStream in = new GZIPInputStream(StoredJsonTest.class.getResourceAsStream("/synthea/30-42/"
                    + name))) {
                Bundle b = json.parseResource(Bundle.class, in);
                b.getEntry().forEach(e -> CORPUS.add(stored(e.getResource(), "2")));
            }
        }
        try (InputStream in = FhirContext.class.getClassLoader()
                .getResourceAsStream("org/hl7/fhir/r4/model/profile/profiles-types.xml")) {
            Bundle b = PLAIN.newXmlParser().parseResource(Bundle.class,
                    new InputStreamReader(in, StandardCharsets.UTF_8));
            b.getEntry().forEach(e -> CORPUS.add(stored(e.getResource(), "1")));
        }
    }

    /** A resource as the record store keeps it: HAPI's encoding, then through jsonb (reordered, spaced). */
    private static String stored(Resource r, String version) {
        String id = r.getIdElement().getIdPart() == null ? "x" : r.getIdElement().getIdPart();
        r.setId(r.getResourceType().name() + "/" + id.substring(id.lastIndexOf(':') + 1)); // Synthea: urn:uuid:…
        r.getMeta().setVersionId(version);
        r.getMeta().getLastUpdatedElement().setValueAsString("2026-12-07T09:55:42.009+00:00");
        return asJsonb(PLAIN.newJsonParser().encodeResourceToString(r));
    }

    /** PostgreSQL's jsonb text: members ordered by key length, then bytes; ", " and ": " between. */
    static String asJsonb(String json) {
        try {
            return jsonb(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jsonb(JsonNode n) throws IOException {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
            StringBuilder b = new StringBuilder("{");
            for (String k : keys) {
                b.append(b.length() > 1 ? ", " : "").append(MAPPER.writeValueAsString(k)).append(": ")
                        .append(jsonb(n.get(k)));
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                b.append(b.length() > 1 ? ", " : "").append(jsonb(it.next()));
            }
            return b.append(']').toString();
        }
        return n.isNumber() ? n.asText() : MAPPER.writeValueAsString(n);
    }

    private static String hapi(String storedJson, String custodian) {
        return PLAIN.newJsonParser().encodeResourceToString(new RecordResources(PLAIN).of(storedJson, custodian));
    }

    @Test
    void everyRecordOfTheCorpusIsWrittenAsHapiWritesItsModel() {
        assertThat(CORPUS).hasSizeGreaterThan(300);
        List<String> differing = new ArrayList<>();
        for (String json : CORPUS) {
            String expected = hapi(json, "nl-amstel");
            String written = STORED.toString(json, "nl-amstel");
            if (!expected.equals(written)) {
                int at = 0;
                while (at < Math.min(expected.length(), written.length()) && expected.charAt(at) == written.charAt(at)) {
                    at++;
                }
                differing.add("at " + at + ": " + expected.substring(Math.max(0, at - 80), Math.min(expected.length(),
                        at + 80)) + "\n   written: " + written.substring(Math.max(0, at - 80),
                        Math.min(written.length(), at + 80)));
            }
        }
        assertThat(differing).as("of %d records", CORPUS.size()).isEmpty();
    }

    @Test
    void theEdgesAreWrittenAsHapiWritesThem() {
        // a forged custodian tag and another tag, a primitive's extension on a repeating element with a gap, a
        // decimal with trailing zeros and one with an exponent, escapes and non-ASCII text, a contained resource,
        // nested extensions, no meta at all
        String observation = "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"3\","
                + "\"tag\":[{\"system\":\"urn:meridian:custodian\",\"code\":\"forged\"},{\"system\":\"urn:x\","
                + "\"code\":\"keep\"}]},\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{"
                + "\"given\":[\"A\",\"B\"],\"_given\":[null,{\"extension\":[{\"url\":\"urn:e\",\"valueString\":"
                + "\"x\"}]}]}]}],\"extension\":[{\"url\":\"urn:outer\",\"extension\":[{\"url\":\"inner\","
                + "\"valueDecimal\":1.50}]}],\"status\":\"final\",\"code\":{\"text\":\"Ünïcode \\\"q\\\" \\\\ \\t"
                + " \\u0001 / </script>\"},\"subject\":{\"reference\":\"#p\"},\"valueQuantity\":{\"value\":1.0E-7,"
                + "\"unit\":\"mg\"}}";
        String bare = "{\"resourceType\":\"Patient\",\"id\":\"p2\",\"active\":true,\"multipleBirthInteger\":2}";
        for (String json : List.of(observation, bare)) {
            String jsonb = asJsonb(json);
            assertThat(STORED.toString(jsonb, "de-spree")).isEqualTo(hapi(jsonb, "de-spree"));
        }
        assertThat(STORED.toString(asJsonb(observation), "de-spree"))
                .contains("{\"system\":\"urn:x\",\"code\":\"keep\"},{\"system\":\"urn:meridian:custodian\","
                        + "\"code\":\"de-spree\"}").doesNotContain("forged");
    }

    @Test
    void aMemberNoDefinitionKnowsIsRefusedSoTheModelAnswers() {
        String odd = "{\"resourceType\":\"Patient\",\"id\":\"p\",\"nickname\":\"x\"}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> STORED.toString(odd, "t"))
                .isInstanceOf(StoredJson.Unsupported.class);
    }

    private static StoredResource record(String json) {
        return new StoredResource(new ResourceKey(TenantId.of("de-spree"), "Observation", "o1"), 3, "anna", false,
                json, Instant.now(), new RecordEnvelope(null, null, List.of(), List.of(), List.of(), List.of(), null));
    }

    private static final String OBSERVATION = asJsonb("{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{"
            + "\"versionId\":\"3\",\"lastUpdated\":\"2026-12-07T09:55:42.009+00:00\"},\"text\":{\"status\":"
            + "\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">120/80</div>\"},\"status\":"
            + "\"final\",\"code\":{\"text\":\"Blood pressure\"},\"subject\":{\"reference\":\"Patient/p1\"},"
            + "\"component\":[{\"code\":{\"text\":\"systolic\"},\"valueQuantity\":{\"value\":120,\"unit\":\"mm[Hg]\"}},"
            + "{\"code\":{\"text\":\"diastolic\"},\"valueQuantity\":{\"value\":80,\"unit\":\"mm[Hg]\"}}]}");

    @Test
    void anAnswerCarriesWhatHapisParserWouldSetAndNoContent() {
        Observation answer = RESOURCES.answer(record(OBSERVATION), Observation.class);
        Observation parsed = RESOURCES.of(record(OBSERVATION), Observation.class);
        assertThat(answer.getIdElement().getValue()).isEqualTo(parsed.getIdElement().getValue())
                .isEqualTo("Observation/o1/_history/3");
        assertThat(answer.getMeta().getVersionId()).isEqualTo("3");
        assertThat(answer.getMeta().getLastUpdatedElement().getValueAsString())
                .isEqualTo(parsed.getMeta().getLastUpdatedElement().getValueAsString());
        assertThat(answer.hasComponent()).isFalse();
        assertThat(RecordResources.stored(answer)).isNotNull();
        assertThat(RecordResources.stored(parsed)).isNull();
        assertThat(((Observation) RESOURCES.parse(answer)).getComponent()).hasSize(2);
    }

    @Test
    void theEndpointsParserWritesAnAnswerAsHapiWritesTheModelInEveryFormat() {
        Observation parsed = RESOURCES.of(record(OBSERVATION), Observation.class);
        IParser plainJson = PLAIN.newJsonParser();
        assertThat(CONTEXT.newJsonParser().encodeResourceToString(RESOURCES.answer(record(OBSERVATION),
                Observation.class))).isEqualTo(plainJson.encodeResourceToString(parsed));
        // anything but plain compact JSON goes through the model: XML, pretty, _summary, _elements, no narrative
        assertThat(CONTEXT.newXmlParser().encodeResourceToString(RESOURCES.answer(record(OBSERVATION),
                Observation.class))).isEqualTo(PLAIN.newXmlParser().encodeResourceToString(parsed))
                .startsWith("<Observation");
        assertThat(CONTEXT.newJsonParser().setPrettyPrint(true).encodeResourceToString(RESOURCES.answer(
                record(OBSERVATION), Observation.class)))
                .isEqualTo(PLAIN.newJsonParser().setPrettyPrint(true).encodeResourceToString(parsed)).contains("\n");
        assertThat(CONTEXT.newJsonParser().setSummaryMode(true).encodeResourceToString(RESOURCES.answer(
                record(OBSERVATION), Observation.class)))
                .isEqualTo(PLAIN.newJsonParser().setSummaryMode(true).encodeResourceToString(parsed));
        assertThat(CONTEXT.newJsonParser().setEncodeElements(Set.of("Observation.status")).encodeResourceToString(
                RESOURCES.answer(record(OBSERVATION), Observation.class)))
                .isEqualTo(PLAIN.newJsonParser().setEncodeElements(Set.of("Observation.status"))
                        .encodeResourceToString(parsed)).doesNotContain("component");
        assertThat(CONTEXT.newJsonParser().setSuppressNarratives(true).encodeResourceToString(RESOURCES.answer(
                record(OBSERVATION), Observation.class))).doesNotContain("xhtml");
        // a reference to this server's own base is made relative by HAPI: such a record goes through the model
        String absolute = OBSERVATION.replace("Patient/p1", "https://ehr.example/fhir/Patient/p1");
        assertThat(CONTEXT.newJsonParser().setServerBaseUrl("https://ehr.example/fhir").encodeResourceToString(
                RESOURCES.answer(record(absolute), Observation.class)))
                .isEqualTo(PLAIN.newJsonParser().setServerBaseUrl("https://ehr.example/fhir")
                        .encodeResourceToString(RESOURCES.of(record(absolute), Observation.class)))
                .contains("\"reference\":\"Patient/p1\"");
    }

    @Test
    void aBundleOfAnswersNestedOrNotIsWrittenAsHapiWritesTheBundleOfModels() {
        Bundle withAnswers = page(true);
        Bundle withModels = page(false);
        String expected = PLAIN.newJsonParser().encodeResourceToString(withModels);
        assertThat(CONTEXT.newJsonParser().encodeResourceToString(withAnswers)).isEqualTo(expected);
        assertThat(RecordResources.stored(withAnswers.getEntryFirstRep().getResource())).as("entries restored")
                .isNotNull();
        assertThat(CONTEXT.newXmlParser().encodeResourceToString(page(true)))
                .isEqualTo(PLAIN.newXmlParser().encodeResourceToString(page(false)));
        assertThat(CONTEXT.newJsonParser().setPrettyPrint(true).encodeResourceToString(page(true)))
                .isEqualTo(PLAIN.newJsonParser().setPrettyPrint(true).encodeResourceToString(page(false)));
    }

    /** A batch response: a read, a search page of two (one of them a model, not an answer), an OperationOutcome. */
    private static Bundle page(boolean answers) {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        batch.setId("b1");
        batch.addEntry().setFullUrl("https://ehr.example/fhir/Observation/o1").setResource((Resource) (answers
                ? RESOURCES.answer(record(OBSERVATION), Observation.class)
                : RESOURCES.of(record(OBSERVATION), Observation.class)));
        Bundle set = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(2);
        set.setId("s1");
        set.addEntry().setFullUrl("https://ehr.example/fhir/Observation/o1").setResource((Resource) (answers
                ? RESOURCES.answer(OBSERVATION, "nl-amstel") : RESOURCES.of(OBSERVATION, "nl-amstel")))
                .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        Patient model = new Patient();
        model.setId("p9");
        model.setActive(true);
        set.addEntry().setFullUrl("https://ehr.example/fhir/Patient/p9").setResource(model).getSearch()
                .setMode(Bundle.SearchEntryMode.INCLUDE);
        batch.addEntry().setResource(set).getResponse().setStatus("200 OK");
        batch.addEntry().setResource(new org.hl7.fhir.r4.model.OperationOutcome());
        return batch;
    }
}
