package health.meridian.search.params;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

class SearchParamIndexerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Map<String, Object> fields(String json) {
        IBaseResource r = FHIR.newJsonParser().parseResource(json);
        return SearchParamIndexer.of(FHIR).fields(r, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> f, String field) {
        return (List<String>) f.get(field);
    }

    @Test
    void implicitSystemsOfCodesAreIndexedFromTheR4Bindings() {
        Map<String, Object> f = fields("{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"1985-06\","
                + "\"name\":[{\"family\":\"Müller\",\"given\":[\"Zoë\"]}]}");
        assertThat(strings(f, "sp_token")).contains("gender:female",
                "gender:http://hl7.org/fhir/administrative-gender|female", "gender:http://hl7.org/fhir/administrative-gender|");
        assertThat(strings(f, "sp_string")).contains("family:muller", "given:zoe", "name:muller");
        assertThat(strings(f, "sp_string_exact")).contains("family:Müller");
        assertThat(f.get("sp_date").toString()).contains("n=birthdate");
    }

    @Test
    void medicationCodeVaccineCodeAndTheDosageTimingAreIndexed() {
        Map<String, Object> f = fields("{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\","
                + "\"subject\":{\"reference\":\"Patient/p1\"},\"authoredOn\":\"2024-01-02\","
                + "\"medicationCodeableConcept\":{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\","
                + "\"code\":\"860975\",\"display\":\"Metformin 500 MG\"}]},"
                + "\"dosageInstruction\":[{\"timing\":{\"event\":[\"2024-02-03T08:00:00Z\"]}}]}");
        assertThat(strings(f, "sp_token")).contains("code:http://www.nlm.nih.gov/research/umls/rxnorm|860975",
                "intent:order", "status:active");
        assertThat(strings(f, "sp_token_text")).contains("code:metformin 500 mg", "code:500 mg");
        assertThat(strings(f, "sp_ref")).contains("patient:Patient/p1", "subject:Patient/p1", "subject:p1");
        assertThat(f.get("sp_date").toString()).contains("n=date").contains("n=authoredon");
    }

    @Test
    void quantitiesCarryTheirUcumCanonicalForm() {
        Map<String, Object> f = fields("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"w\"},"
                + "\"valueQuantity\":{\"value\":0.0833,\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}");
        Map<?, ?> q = ((List<Map<?, ?>>) (List<?>) f.get("sp_num")).stream().filter(m -> "value-quantity".equals(m.get("n")))
                .findFirst().orElseThrow();
        assertThat(q.get("cu")).isEqualTo("g");
        assertThat((Double) q.get("cv")).isCloseTo(83.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(strings(f, "sp_token")).contains("status:http://hl7.org/fhir/observation-status|final");
    }

    @Test
    void aCompositePairsEachComponentsCodeWithItsOwnValue() {
        Map<String, Object> f = fields("{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"85354-9\"}]},\"component\":["
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\"}]},"
                + "\"valueQuantity\":{\"value\":132,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}},"
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\"}]},"
                + "\"valueQuantity\":{\"value\":84,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}}]}");
        List<Map<?, ?>> numbers = (List<Map<?, ?>>) (List<?>) f.get("sp_num");
        assertThat(numbers).anySatisfy(m -> {
            assertThat(m.get("n")).isEqualTo("component-code-value-quantity$http://loinc.org|8480-6");
            assertThat(m.get("v")).isEqualTo(132.0);
        });
        assertThat(numbers).noneSatisfy(m -> {
            assertThat(m.get("n")).isEqualTo("component-code-value-quantity$8480-6");
            assertThat(m.get("v")).isEqualTo(84.0);
        });
        assertThat(strings(f, "sp_present")).contains("component-code-value-quantity", "combo-code-value-quantity")
                .noneMatch(n -> n.contains("$"));
    }

    /**
     * The compiled plan (parts of other types skipped, plain paths walked) gives exactly the documents the FHIRPath
     * engine alone gives, on every resource of the three-patient Synthea sample (and its hospital and practitioner
     * bundles): 1,314 resources of 20+ types.
     */
    @Test
    void theCompiledPlanIndexesExactlyWhatTheEngineAloneIndexes() throws Exception {
        SearchParamIndexer engineOnly = SearchParamIndexer.engineOnly(FHIR);
        SearchParamIndexer compiled = SearchParamIndexer.of(FHIR);
        java.nio.file.Path dir = java.nio.file.Path.of("../ehr-web/src/test/resources/synthea/30-42");
        int resources = 0;
        java.util.Set<String> types = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.newDirectoryStream(dir, "*.json.gz")) {
            for (java.nio.file.Path file : files) {
                org.hl7.fhir.r4.model.Bundle bundle;
                try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))) {
                    bundle = FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, in);
                }
                Map<String, String> stored = new java.util.HashMap<>();
                bundle.getEntry().forEach(e -> stored.put(e.getFullUrl(), e.getResource().fhirType() + "/"
                        + e.getResource().getIdElement().getIdPart()));
                for (var entry : bundle.getEntry()) {
                    IBaseResource r = entry.getResource();
                    Instant at = Instant.parse("2026-01-01T00:00:00Z");
                    assertThat(compiled.fields(r, at)).as(r.fhirType() + " " + r.getIdElement().getIdPart())
                            .isEqualTo(engineOnly.fields(r, at));
                    // as stored: the bundle's urn:uuid references rewritten to Type/id (the bulk path does that)
                    for (var ref : FHIR.newTerser().getAllPopulatedChildElementsOfType(r,
                            org.hl7.fhir.r4.model.Reference.class)) {
                        if (stored.containsKey(ref.getReference())) {
                            ref.setReference(stored.get(ref.getReference()));
                        }
                    }
                    assertThat(compiled.fields(r, at)).as("stored " + r.fhirType() + " " + r.getIdElement()
                            .getIdPart()).isEqualTo(engineOnly.fields(r, at));
                    resources++;
                    types.add(r.fhirType());
                }
            }
        }
        assertThat(resources).isGreaterThan(1300);
        assertThat(types).contains("Observation", "Patient", "Encounter", "Provenance", "Claim",
                "ExplanationOfBenefit", "MedicationRequest", "Immunization", "Organization", "Practitioner");
    }
}
