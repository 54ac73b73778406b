package health.meridian.web.it.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import health.meridian.bench.http.FhirClient;
import health.meridian.bench.http.FhirResponse;
import health.meridian.bench.synthea.ImportPayload;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A small Synthea 3.3.0 population (the shared hospital and practitioner bundles and three patients, 1,314 entries;
 * {@link SyntheaImport}) imported through POST of transaction Bundles as {@code ./meridian import} sends them:
 * every bundle commits whole, the record store holds exactly the bundles' entries per type, every urn:uuid and
 * conditional reference points at a stored resource, values survive. Re-posting a patient's bundle keeps its one
 * Patient (conditional create) and, as FHIR's transaction rules say for unconditional POSTs, stores its other
 * entries again, linked to that Patient: re-importing a bundle duplicates its clinical records, which is why the
 * importer journals committed files and never sends them twice. Another institution's clinician sees none of it.
 */
@ExtendWith(ArquillianExtension.class)
class SyntheaImportIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private SyntheaImport imported() {
        return SyntheaImport.into(TestStack.app(base));
    }

    @Test
    void everyBundleCommitsWholeAndEveryEntryIsCreatedOrMatchesAConditionalCreate() {
        SyntheaImport imp = imported();
        assertThat(imp.sent).extracting(s -> s.file().kind().name())
                .containsExactly("HOSPITALS", "PRACTITIONERS", "PATIENT", "PATIENT", "PATIENT");
        for (SyntheaImport.Sent s : imp.sent) {
            assertThat(s.response().status()).as(s.file().name() + ": " + s.response().body()).isEqualTo(200);
            JsonNode answer = s.answer();
            assertThat(answer.path("type").asText()).isEqualTo("transaction-response");
            assertThat(answer.path("entry")).as(s.file().name()).hasSize(s.entries());
            for (int i = 0; i < s.entries(); i++) {
                JsonNode request = s.payload().bundle().path("entry").path(i).path("request");
                String status = s.status(i);
                assertThat(status).as(s.file().name() + " entry " + i).isIn("201 Created", "200 OK");
                if (status.startsWith("200")) {
                    assertThat(request.has("ifNoneExist")).as("only a conditional create may match: " + s.file()
                            .name() + " entry " + i).isTrue();
                }
                assertThat(s.location(i)).as(s.file().name() + " entry " + i).startsWith(s.type(i) + "/");
            }
        }
        assertThat(imp.patient("Jules135").status(0)).as("a new patient").isEqualTo("201 Created");
    }

    @Test
    void theRecordStoreHoldsExactlyTheBundlesEntriesPerType() {
        SyntheaImport imp = imported();
        Map<String, Integer> expected = new TreeMap<>();
        Map<String, Integer> matched = new TreeMap<>();
        for (SyntheaImport.Sent s : imp.sent) {
            for (int i = 0; i < s.entries(); i++) {
                expected.merge(s.type(i), 1, Integer::sum);
                if (s.status(i).startsWith("200")) {
                    matched.merge(s.type(i), 1, Integer::sum);
                }
            }
        }
        matched.forEach((type, n) -> expected.merge(type, -n, Integer::sum));
        Map<String, Integer> stored = new TreeMap<>();
        imp.storedByType.forEach((type, history) -> stored.put(type, history.path("total").asInt()));
        assertThat(stored).as("versions stored since the import began, per type (matched by a conditional create"
                + " and so not stored again: " + matched + ")").isEqualTo(expected);
        assertThat(expected.values().stream().mapToInt(Integer::intValue).sum() + matched.values().stream()
                .mapToInt(Integer::intValue).sum()).isEqualTo(1314);
        assertThat(expected).containsEntry("Patient", 3).containsEntry("Observation", 428)
                .containsKeys("Claim", "ExplanationOfBenefit", "ImagingStudy", "Device", "SupplyDelivery",
                        "MedicationAdministration", "Medication", "Provenance", "CareTeam", "CarePlan");
    }

    @Test
    void everyUrnUuidAndConditionalReferencePointsAtAStoredResource() {
        SyntheaImport imp = imported();
        Map<String, String> known = imp.locations();
        List<String> problems = new ArrayList<>();
        int references = 0;
        for (JsonNode history : imp.storedByType.values()) {
            for (JsonNode entry : history.path("entry")) {
                List<String> refs = new ArrayList<>();
                collectReferences(entry.path("resource"), refs);
                references += refs.size();
                String where = entry.path("request").path("url").asText();
                refs.stream().filter(r -> !r.startsWith("#") && !known.containsKey(r))
                        .forEach(r -> problems.add(where + " -> " + r));
            }
        }
        assertThat(problems).as("references not rewritten to an imported Type/id (urn:uuid, conditional, other)")
                .isEmpty();
        assertThat(references).as("references checked").isGreaterThan(3000);
    }

    @Test
    void anObservationKeepsItsValueAndPointsAtTheServerAssignedPatientAndEncounter() {
        SyntheaImport imp = imported();
        SyntheaImport.Sent jules = imp.patient("Jules135");
        int obs = firstObservationWithQuantity(jules);
        JsonNode sentObs = jules.payload().bundle().path("entry").get(obs).path("resource");
        String patientId = jules.location(0);
        assertThat(patientId).startsWith("Patient/").isNotEqualTo("Patient/" + jules.payload().bundle().path("entry")
                .get(0).path("resource").path("id").asText());
        FhirClient client = SyntheaImport.clinician(imp.app, SyntheaImport.CLINICIAN);
        FhirResponse read = client.get(jules.location(obs));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        JsonNode stored = SyntheaImport.read(read.body());
        assertThat(stored.path("valueQuantity")).isEqualTo(sentObs.path("valueQuantity"));
        assertThat(stored.path("code")).isEqualTo(sentObs.path("code"));
        assertThat(stored.path("effectiveDateTime")).isEqualTo(sentObs.path("effectiveDateTime"));
        assertThat(stored.path("subject").path("reference").asText()).isEqualTo(patientId);
        assertThat(stored.path("encounter").path("reference").asText())
                .isEqualTo(jules.location(entryWithFullUrl(jules, sentObs.path("encounter").path("reference")
                        .asText())));
        FhirResponse everything = client.get(patientId + "/$everything");
        assertThat(everything.status()).as(everything.body()).isEqualTo(200);
    }

    @Test
    void theSearchMirrorCountsAPatientsObservationsAfterReadYourWrites() throws Exception {
        SyntheaImport imp = imported();
        SyntheaImport.Sent leonardo = imp.patient("Leonardo412");
        long expected = countOf(leonardo, "Observation");
        String url = imp.app + "/fhir/Observation?patient=" + leonardo.location(0) + "&_summary=count";
        String token = TestStack.token(SyntheaImport.CLINICIAN);
        long total = -1;
        for (int attempt = 0; attempt < 12 && total != expected; attempt++) {
            total = SyntheaImport.read(TestStack.send("GET", url, token, null,
                    "X-Meridian-Consistency", "read-your-writes").body()).path("total").asLong();
        }
        assertThat(total).isEqualTo(expected);
    }

    @Test
    void rePostingAPatientBundleKeepsItsOnePatientAndStoresTheOtherEntriesAgain() throws Exception {
        SyntheaImport imp = imported();
        SyntheaImport.Sent first = imp.patient("Jules135");
        ImportPayload again = SyntheaImport.payload(first.file());
        String since = SyntheaImport.databaseNow();
        FhirClient client = SyntheaImport.clinician(imp.app, SyntheaImport.CLINICIAN);
        SyntheaImport.Sent second = SyntheaImport.Sent.of(first.file(), again,
                client.postBundle(again.bytes(), SyntheaImport.POST_TIMEOUT));
        assertThat(second.response().status()).as(second.response().body()).isEqualTo(200);
        assertThat(second.status(0)).isEqualTo("200 OK");
        assertThat(second.location(0)).isEqualTo(first.location(0));
        for (int i = 1; i < second.entries(); i++) {
            assertThat(second.status(i)).as("entry " + i).isEqualTo("201 Created");
            assertThat(second.location(i)).isNotEqualTo(first.location(i));
        }
        assertThat(SyntheaImport.history(client, "Patient", since).path("total").asInt()).as("no new Patient")
                .isZero();
        assertThat(SyntheaImport.read(client.get(first.location(0)).body()).path("meta").path("versionId").asText())
                .isEqualTo("1");
        JsonNode observations = SyntheaImport.history(client, "Observation", since);
        assertThat(observations.path("total").asLong()).isEqualTo(countOf(first, "Observation"));
        for (JsonNode e : observations.path("entry")) {
            assertThat(e.path("resource").path("subject").path("reference").asText()).isEqualTo(first.location(0));
        }
    }

    @Test
    void anotherInstitutionsClinicianSeesNoneOfIt() throws Exception {
        SyntheaImport imp = imported();
        SyntheaImport.Sent alesha = imp.patient("Alesha810");
        FhirClient mueller = SyntheaImport.clinician(imp.app, "dr.mueller");
        String patient = alesha.location(0);
        assertThat(mueller.get(patient).status()).isEqualTo(404);
        assertThat(mueller.get(alesha.location(firstObservationWithQuantity(alesha))).status()).isEqualTo(404);
        assertThat(mueller.get(patient + "/$everything").status()).isEqualTo(404);
        String identifier = alesha.payload().patientIdentifier().orElseThrow();
        String search = imp.app + "/fhir/Patient?identifier=" + ImportPayload.SYNTHEA_SYSTEM + "|" + identifier
                + "&_summary=count";
        JsonNode found = SyntheaImport.read(TestStack.send("GET", search, TestStack.token("dr.mueller"), null,
                "X-Meridian-Consistency", "read-your-writes").body());
        assertThat(found.path("total").asInt()).as(found.toString()).isZero();
        JsonNode history = SyntheaImport.history(mueller, "Observation", imp.since);
        for (JsonNode e : history.path("entry")) {
            assertThat(e.path("resource").path("subject").path("reference").asText()).isNotIn(
                    imp.sent.stream().filter(s -> s.file().isPatient()).map(s -> s.location(0)).toList());
        }
    }

    /**
     * Issue #21: a read and a search page in JSON are written from the stored JSON (no model), everything else
     * through HAPI's model. Both must be the same record: for every record of a Synthea patient, the JSON answer is
     * byte for byte what HAPI's encoder writes for the model of the XML answer (which always goes through the model).
     */
    @Test
    void aRecordAnsweredFromItsStoredJsonIsByteForByteHapisEncodingOfTheSameRecordInXml() throws Exception {
        SyntheaImport imp = imported();
        SyntheaImport.Sent leonardo = imp.patient("Leonardo412");
        String token = TestStack.token(SyntheaImport.CLINICIAN);
        ca.uhn.fhir.context.FhirContext hapi = ca.uhn.fhir.context.FhirContext.forR4();
        String patient = leonardo.location(0);
        List<String> urls = new ArrayList<>(List.of(imp.app + "/fhir/" + patient));
        for (String type : List.of("Observation", "Condition", "Encounter", "Immunization", "MedicationRequest",
                "Procedure", "DiagnosticReport", "CarePlan", "Claim", "ExplanationOfBenefit", "DocumentReference")) {
            urls.add(imp.app + "/fhir/" + type + "?patient=" + patient + "&_count=500");
        }
        int records = 0;
        for (String url : urls) {
            HttpResponse<String> json = TestStack.send("GET", url, token, null, "X-Meridian-Consistency",
                    "read-your-writes");
            HttpResponse<String> xml = TestStack.send("GET", url, token, null, "Accept", "application/fhir+xml");
            assertThat(json.statusCode()).as(url + ": " + json.body()).isEqualTo(200);
            assertThat(xml.statusCode()).as(url + ": " + xml.body()).isEqualTo(200);
            assertThat(xml.body()).startsWith("<");
            org.hl7.fhir.r4.model.Resource fromXml = (org.hl7.fhir.r4.model.Resource) hapi.newXmlParser()
                    .parseResource(xml.body());
            if (fromXml instanceof org.hl7.fhir.r4.model.Bundle b) {
                // a search Bundle's own id and time are new on every request; its entries are what is compared
                org.hl7.fhir.r4.model.Bundle fromJson = hapi.newJsonParser().parseResource(
                        org.hl7.fhir.r4.model.Bundle.class, json.body());
                b.setId(fromJson.getIdElement().getIdPart());
                b.getMeta().setLastUpdatedElement(fromJson.getMeta().getLastUpdatedElement());
                assertThat(b.getEntry()).as(url).isNotEmpty();
                records += b.getEntry().size();
            } else {
                records++;
                assertThat(json.headers().firstValue("ETag")).isEqualTo(xml.headers().firstValue("ETag"))
                        .isPresent();
                assertThat(json.headers().firstValue("Last-Modified"))
                        .isEqualTo(xml.headers().firstValue("Last-Modified")).isPresent();
            }
            assertThat(json.body()).as(url).isEqualTo(hapi.newJsonParser().encodeResourceToString(fromXml));
        }
        assertThat(records).isGreaterThan(100);
    }

    private static void collectReferences(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if ("reference".equals(f.getKey()) && f.getValue().isTextual()) {
                    out.add(f.getValue().asText());
                } else {
                    collectReferences(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectReferences(n, out));
        }
    }

    private static int firstObservationWithQuantity(SyntheaImport.Sent s) {
        for (int i = 0; i < s.entries(); i++) {
            JsonNode r = s.payload().bundle().path("entry").path(i).path("resource");
            if ("Observation".equals(r.path("resourceType").asText()) && r.has("valueQuantity")) {
                return i;
            }
        }
        throw new IllegalStateException("no Observation with a quantity in " + s.file().name());
    }

    private static int entryWithFullUrl(SyntheaImport.Sent s, String fullUrl) {
        for (int i = 0; i < s.entries(); i++) {
            if (fullUrl.equals(s.payload().bundle().path("entry").path(i).path("fullUrl").asText())) {
                return i;
            }
        }
        throw new IllegalStateException(fullUrl + " is no entry of " + s.file().name());
    }

    private static long countOf(SyntheaImport.Sent s, String type) {
        long n = 0;
        for (int i = 0; i < s.entries(); i++) {
            n += type.equals(s.type(i)) ? 1 : 0;
        }
        return n;
    }
}
