package health.meridian.web.it.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import health.meridian.web.fhir.R4Validation;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HAPI's generic client, as any standard FHIR client, against the running Meridian with a real Keycloak token and no
 * special cases: capabilities, create, read, search paged to the end, version-aware update (a stale version is a
 * PreconditionFailedException), conditional create, history, batch with a read, transaction.
 */
@ExtendWith(ArquillianExtension.class)
class GenericClientIT {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final String MRN = "urn:test:mrn";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private IGenericClient client(String user) throws Exception {
        TestStack.ensureTenants(TestStack.app(base));
        IGenericClient client = FHIR.newRestfulGenericClient(TestStack.app(base) + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(TestStack.token(user)));
        return client;
    }

    private static Patient patient(String family) {
        Patient p = new Patient();
        p.addIdentifier().setSystem(MRN).setValue(UUID.randomUUID().toString());
        p.addName().setFamily(family).addGiven("Client");
        return p;
    }

    @Test
    void capabilitiesNameMeridian() throws Exception {
        CapabilityStatement cs = client("dr.jansen").capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(cs.getSoftware().getName()).isEqualTo("Meridian EHR");
        assertThat(cs.getRestFirstRep().getSecurity().getServiceFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("OAuth");
    }

    /**
     * Every R4 type of the resource catalogue is served by one generic provider and listed in the
     * CapabilityStatement with its supported search parameters; a few types no provider shell ever existed for are
     * created, read and searched with the generic client and over plain HTTP.
     */
    @Test
    void theWholeR4ResourceSetIsServed() throws Exception {
        IGenericClient client = client("dr.jansen");
        CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
        List<String> listed = cs.getRestFirstRep().getResource().stream()
                .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType).toList();
        List<String> served = new health.meridian.domain.record.ResourceCatalogue(FHIR).served();
        List<String> expected = new ArrayList<>(served);
        expected.add("AuditEvent"); // read-only, from the audit ledger
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(listed).hasSizeGreaterThan(135).doesNotContain("Bundle", "Parameters", "Subscription");
        var serviceRequest = cs.getRestFirstRep().getResource().stream()
                .filter(r -> "ServiceRequest".equals(r.getType())).findFirst().orElseThrow();
        assertThat(serviceRequest.getSearchParam()).extracting(p -> p.getName())
                .containsAll(health.meridian.web.fhir.search.SearchParameters.supported("ServiceRequest").stream()
                        .map(p -> p.name()).toList()).contains("code", "subject", "authored");
        assertThat(serviceRequest.getInteraction()).extracting(i -> i.getCode().toCode())
                .contains("read", "vread", "create", "update", "delete", "search-type", "history-instance");

        IdType patient = (IdType) client.create().resource(patient("Catalogue")).execute().getId();
        Reference subject = new Reference("Patient/" + patient.getIdPart());
        org.hl7.fhir.r4.model.ServiceRequest request = new org.hl7.fhir.r4.model.ServiceRequest()
                .setStatus(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent.ORDER).setSubject(subject);
        request.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("73761001");
        org.hl7.fhir.r4.model.Goal goal = new org.hl7.fhir.r4.model.Goal()
                .setLifecycleStatus(org.hl7.fhir.r4.model.Goal.GoalLifecycleStatus.ACTIVE).setSubject(subject);
        goal.getDescription().setText("walk 5 km");
        org.hl7.fhir.r4.model.Medication medication = new org.hl7.fhir.r4.model.Medication();
        String code = "it-" + UUID.randomUUID().toString().substring(0, 8);
        medication.getCode().addCoding().setSystem("urn:test:med").setCode(code);
        for (org.hl7.fhir.r4.model.Resource r : List.of(request, goal, medication)) {
            IdType id = (IdType) client.create().resource(r).execute().getId();
            org.hl7.fhir.instance.model.api.IBaseResource read = client.read().resource(r.fhirType())
                    .withId(id.getIdPart()).execute();
            assertThat(read.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
            assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(read))).isEmpty();
            java.net.http.HttpResponse<String> plain = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(TestStack.app(base) + "/fhir/"
                                    + r.fhirType() + "/" + id.getIdPart()))
                            .header("Authorization", "Bearer " + TestStack.token("dr.jansen"))
                            .header("Accept", "application/fhir+json").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
            assertThat(plain.body()).contains("\"resourceType\":\"" + r.fhirType() + "\"");
        }
        Bundle requests = client.search().forResource(org.hl7.fhir.r4.model.ServiceRequest.class)
                .where(org.hl7.fhir.r4.model.ServiceRequest.SUBJECT.hasId(subject.getReference()))
                .and(org.hl7.fhir.r4.model.ServiceRequest.CODE.exactly().systemAndCode("http://snomed.info/sct",
                        "73761001"))
                .withAdditionalHeader("X-Meridian-Consistency", "read-your-writes").returnBundle(Bundle.class)
                .execute();
        assertThat(requests.getTotal()).isEqualTo(1);
        Bundle goals = client.search().forResource(org.hl7.fhir.r4.model.Goal.class)
                .where(org.hl7.fhir.r4.model.Goal.PATIENT.hasId(subject.getReference()))
                .returnBundle(Bundle.class).execute();
        assertThat(goals.getTotal()).isEqualTo(1);
        Bundle medications = client.search().forResource(org.hl7.fhir.r4.model.Medication.class)
                .where(org.hl7.fhir.r4.model.Medication.CODE.exactly().systemAndCode("urn:test:med", code))
                .returnBundle(Bundle.class).execute();
        assertThat(medications.getTotal()).isEqualTo(1);
        assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(medications))).isEmpty();
    }

    /**
     * Every kind of response Meridian emits validates against the R4 base structures with HAPI's
     * FhirInstanceValidator, with zero errors: read, searchset (with includes), instance/type/system history,
     * $everything, $summary (a document with a stopped prescription left out of it and no reference pointing outside
     * it), an OperationOutcome and the CapabilityStatement.
     */
    @Test
    void everyKindOfResponseValidates() throws Exception {
        IGenericClient client = client("dr.jansen");
        IdType patient = (IdType) client.create().resource(patient("Validated")).execute().getId();
        String p = "Patient/" + patient.getIdPart();
        org.hl7.fhir.r4.model.Practitioner doc = new org.hl7.fhir.r4.model.Practitioner();
        doc.addName().setFamily("Validator");
        String practitioner = "Practitioner/" + client.create().resource(doc).execute().getId().getIdPart();
        org.hl7.fhir.r4.model.Organization maker = new org.hl7.fhir.r4.model.Organization().setName("Pharma BV");
        String organization = "Organization/" + client.create().resource(maker).execute().getId().getIdPart();
        org.hl7.fhir.r4.model.Medication med = new org.hl7.fhir.r4.model.Medication()
                .setManufacturer(new Reference(organization));
        med.getCode().addCoding().setSystem("http://www.nlm.nih.gov/research/umls/rxnorm").setCode("860975")
                .setDisplay("metformin 500 MG");
        String medication = "Medication/" + client.create().resource(med).execute().getId().getIdPart();
        String active = prescribe(client, p, medication, practitioner, "active");
        String stopped = prescribe(client, p, medication, practitioner, "stopped");
        Observation obs = new Observation().setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference(p));
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("29463-7").setDisplay("Body weight");
        obs.addPerformer(new Reference(practitioner));
        client.create().resource(obs).execute();

        java.util.Map<String, String> responses = new java.util.LinkedHashMap<>();
        responses.put("read", get(p, 200));
        responses.put("searchset", get("MedicationRequest?subject=" + p + "&_include=MedicationRequest:medication"
                + "&_consistency=strong", 200));
        responses.put("history-instance", get(p + "/_history", 200));
        responses.put("history-type", get("Patient/_history?_count=5", 200));
        responses.put("history-system", get("_history?_count=5", 200));
        responses.put("everything", get(p + "/$everything", 200));
        responses.put("summary", get(p + "/$summary", 200));
        responses.put("operation-outcome", get("Patient?nonsense=1", 400));
        responses.put("not-found", get("Patient/does-not-exist", 404));
        responses.put("capabilities", get("metadata", 200));
        responses.forEach((kind, body) -> assertThat(R4Validation.errors(body)).as(kind).isEmpty());

        Bundle summary = FHIR.newJsonParser().parseResource(Bundle.class, responses.get("summary"));
        assertThat(health.meridian.web.fhir.IpsDocument.unresolved(summary)).isEmpty();
        List<String> held = summary.getEntry().stream().map(e -> e.getResource().fhirType() + "/"
                + e.getResource().getIdElement().getIdPart()).toList();
        assertThat(held).contains(active, medication, practitioner, organization).doesNotContain(stopped);
    }

    private String prescribe(IGenericClient client, String patient, String medication, String practitioner,
                             String status) {
        org.hl7.fhir.r4.model.MedicationRequest request = new org.hl7.fhir.r4.model.MedicationRequest()
                .setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.fromCode(status))
                .setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference(patient)).setMedication(new Reference(medication))
                .setRequester(new Reference(practitioner));
        return "MedicationRequest/" + client.create().resource(request).execute().getId().getIdPart();
    }

    private String get(String path, int status) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(TestStack.app(base) + "/fhir/" + path))
                        .header("Authorization", "Bearer " + TestStack.token("dr.jansen"))
                        .header("Accept", "application/fhir+json").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return r.body();
    }

    @Test
    void createReadAndVersionAwareUpdate() throws Exception {
        IGenericClient client = client("dr.jansen");
        MethodOutcome created = client.create().resource(patient("Generic")).execute();
        assertThat(created.getCreated()).isTrue();
        IdType id = (IdType) created.getId();
        assertThat(id.getVersionIdPart()).isEqualTo("1");

        Patient read = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(read.getIdElement().getVersionIdPart()).isEqualTo("1");
        read.getNameFirstRep().setFamily("Updated");
        MethodOutcome updated = client.update().resource(read).execute(); // sends If-Match: W/"1"
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        read.getNameFirstRep().setFamily("Lost");
        assertThatThrownBy(() -> client.update().resource(read).execute()) // still W/"1": stale
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("EHR-0440");
        assertThat(client.read().resource(Patient.class).withId(id.getIdPart()).execute().getNameFirstRep()
                .getFamily()).isEqualTo("Updated");
    }

    @Test
    void conditionalCreateFindsTheExistingPatient() throws Exception {
        IGenericClient client = client("dr.jansen");
        Patient p = patient("Conditional");
        String value = p.getIdentifierFirstRep().getValue();
        MethodOutcome first = client.create().resource(p).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(MRN, value)).execute();
        MethodOutcome second = client.create().resource(patient("Conditional").setIdentifier(List.of(
                        p.getIdentifierFirstRep().copy()))).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(MRN, value)).execute();
        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    }

    @Test
    void searchPagesToTheEnd() throws Exception {
        IGenericClient client = client("dr.jansen");
        String family = "Paging" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            client.create().resource(patient(family)).execute();
        }
        Bundle page = client.search().forResource(Patient.class).where(Patient.FAMILY.matches().value(family))
                .count(2).withAdditionalHeader("X-Meridian-Consistency", "read-your-writes")
                .returnBundle(Bundle.class).execute();
        assertThat(page.getTotal()).isEqualTo(5);
        List<String> ids = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(page))).isEmpty();
            page.getEntry().forEach(e -> {
                assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
                ids.add(e.getResource().getIdElement().getIdPart());
            });
            if (page.getLink(Bundle.LINK_NEXT) == null || pages > 10) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void historyOfAnInstanceAndOfTheServer() throws Exception {
        IGenericClient client = client("dr.jansen");
        Date since = new Date(System.currentTimeMillis() - 1000);
        IdType id = (IdType) client.create().resource(patient("History")).execute().getId();
        Patient p = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        client.update().resource(p.setActive(true)).execute();

        Bundle instance = client.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class)
                .execute();
        assertThat(instance.getEntry()).hasSize(2);
        Bundle server = client.history().onServer().returnBundle(Bundle.class).since(since).count(1000).execute();
        assertThat(server.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(server.getEntry()).anySatisfy(e -> assertThat(e.getResource().getIdElement().getIdPart())
                .isEqualTo(id.getIdPart()));
        assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(server))).isEmpty();
    }

    @Test
    void everythingPagesToTheEndWithTheReferencedPractitioner() throws Exception {
        IGenericClient client = client("dr.jansen");
        IdType patient = (IdType) client.create().resource(patient("Everything")).execute().getId();
        org.hl7.fhir.r4.model.Practitioner doc = new org.hl7.fhir.r4.model.Practitioner();
        doc.addName().setFamily("Referenced");
        IdType practitioner = (IdType) client.create().resource(doc).execute().getId();
        for (int i = 0; i < 5; i++) {
            Observation obs = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                    .setSubject(new Reference("Patient/" + patient.getIdPart()));
            obs.getCode().setText("everything " + i);
            obs.addPerformer(new Reference("Practitioner/" + practitioner.getIdPart()));
            client.create().resource(obs).execute();
        }
        Bundle page = client.operation().onInstance(patient.toUnqualifiedVersionless()).named("$everything")
                .withParameter(org.hl7.fhir.r4.model.Parameters.class, "_count",
                        new org.hl7.fhir.r4.model.IntegerType(2))
                .useHttpGet().returnResourceType(Bundle.class).execute();
        assertThat(page.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(page.getTotal()).isEqualTo(6);
        List<String> matches = new ArrayList<>();
        List<String> includes = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            assertThat(R4Validation.errors(FHIR.newJsonParser().encodeResourceToString(page))).isEmpty();
            page.getEntry().forEach(e -> (e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE ? includes
                    : matches).add(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null || pages > 10) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(matches).hasSize(6).doesNotHaveDuplicates().contains("Patient/" + patient.getIdPart());
        assertThat(includes).contains("Practitioner/" + practitioner.getIdPart());

        Bundle observations = client.operation().onInstance(patient.toUnqualifiedVersionless()).named("$everything")
                .withParameter(org.hl7.fhir.r4.model.Parameters.class, "_type",
                        new org.hl7.fhir.r4.model.StringType("Observation"))
                .useHttpGet().returnResourceType(Bundle.class).execute();
        assertThat(observations.getTotal()).isEqualTo(5);
        Bundle none = client.operation().onInstance(patient.toUnqualifiedVersionless()).named("$everything")
                .withParameter(org.hl7.fhir.r4.model.Parameters.class, "_since",
                        new org.hl7.fhir.r4.model.InstantType(new Date(System.currentTimeMillis() + 3_600_000)))
                .useHttpGet().returnResourceType(Bundle.class).execute();
        assertThat(none.getTotal()).isZero();
    }

    @Test
    void batchWithAReadAndTransaction() throws Exception {
        IGenericClient client = client("dr.jansen");
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        tx.addEntry().setFullUrl(patientUrl).setResource(patient("Tx")).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        Observation obs = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setSubject(new Reference(patientUrl));
        obs.getCode().setText("weight");
        tx.addEntry().setResource(obs).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Bundle txResponse = client.transaction().withBundle(tx).execute();
        assertThat(txResponse.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        String patientId = new IdType(txResponse.getEntry().get(0).getResponse().getLocation()).getIdPart();

        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/" + patientId);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Observation?subject=Patient/"
                + patientId + "&_consistency=strong");
        batch.addEntry().setResource(patient("Batch")).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        Bundle batchResponse = client.transaction().withBundle(batch).execute();
        assertThat(batchResponse.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(batchResponse.getEntry().get(0).getResponse().getStatus()).startsWith("200");
        assertThat(((Patient) batchResponse.getEntry().get(0).getResource()).getNameFirstRep().getFamily())
                .isEqualTo("Tx");
        Bundle observations = (Bundle) batchResponse.getEntry().get(1).getResource();
        assertThat(observations.getTotal()).isEqualTo(1);
        assertThat(batchResponse.getEntry().get(2).getResponse().getStatus()).startsWith("201");
    }
}
