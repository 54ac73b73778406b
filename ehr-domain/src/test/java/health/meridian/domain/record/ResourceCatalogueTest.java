package health.meridian.domain.record;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

class ResourceCatalogueTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final ResourceCatalogue catalogue = new ResourceCatalogue(FHIR);
    private final EnvelopeExtractor extractor = new EnvelopeExtractor(FHIR);

    @Test
    void servesEveryR4TypeButTheRefusedOnes() {
        assertThat(FHIR.getResourceTypes()).hasSize(146);
        assertThat(catalogue.served()).hasSize(146 - ResourceCatalogue.REFUSED.size())
                .contains("Patient", "Observation", "CarePlan", "ServiceRequest", "Appointment", "Practitioner",
                        "Organization", "Location", "Medication", "Questionnaire", "Consent", "Provenance")
                .doesNotContainAnyElementsOf(ResourceCatalogue.REFUSED.keySet());
        assertThat(catalogue.refusal("Bundle")).get().asString().contains("transaction");
        assertThat(catalogue.refusal("Nonsense")).contains("not an R4 resource type");
    }

    @Test
    void derivesThePatientOfNewTypesFromThePatientCompartment() {
        assertThat(catalogue.entry("ServiceRequest").orElseThrow().patientPaths()).containsExactly("subject");
        assertThat(catalogue.entry("Appointment").orElseThrow().patientPaths()).containsExactly("participant.actor");
        assertThat(catalogue.entry("Practitioner").orElseThrow().aboutPatient()).isFalse();
        assertThat(catalogue.entry("Medication").orElseThrow().aboutPatient()).isFalse();
        assertThat(catalogue.entry("Location").orElseThrow().aboutPatient()).isFalse();

        ServiceRequest request = new ServiceRequest().setSubject(new Reference("Patient/p1"));
        assertThat(extractor.extract(request, "s1").patientRef()).isEqualTo("Patient/p1");

        Appointment appointment = new Appointment();
        appointment.addParticipant().setActor(new Reference("Practitioner/d1"));
        appointment.addParticipant().setActor(new Reference("Patient/p2"));
        assertThat(extractor.extract(appointment, "a1").patientRef()).isEqualTo("Patient/p2");
        assertThat(extractor.patientReferences(appointment)).extracting(Reference::getReference)
                .containsExactly("Patient/p2");
    }

    @Test
    void aGroupOfTwoPatientsNamesBoth() {
        Group group = new Group();
        group.addMember().setEntity(new Reference("Patient/p1"));
        group.addMember().setEntity(new Reference("Patient/p2"));
        assertThat(extractor.patientsNamed(group)).containsExactly("Patient/p1", "Patient/p2");
    }

    @Test
    void keepsTheTimelineOfTheTypesServedBeforeAndAddsNewOnesWithATime() {
        assertThat(catalogue.timelineTypes()).contains("Encounter", "Observation", "SupplyDelivery",
                "FamilyMemberHistory", "Appointment").doesNotContain("Patient", "Consent", "Provenance",
                "Practitioner", "ServiceRequest");
        assertThat(catalogue.entry("Appointment").orElseThrow().timeElements()).containsExactly("start");
        assertThat(catalogue.entry("RiskAssessment").orElseThrow().timeElements()).containsExactly("occurrence");
    }
}
