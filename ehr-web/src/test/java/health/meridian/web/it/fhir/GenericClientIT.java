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
