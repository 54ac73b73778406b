package health.meridian.web.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transaction is validated in two linear parts (the Bundle without its resources, then each resource once the
 * server has resolved the references to Type/id); together they must still catch what the whole-Bundle validation
 * caught: broken resources, broken Bundle rules, and references to the wrong type of resource.
 */
class TransactionValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static ResourceValidation validation;

    @BeforeAll
    static void setUp() {
        validation = new ResourceValidation();
        validation.fhir = FHIR;
        validation.init();
    }

    private static Bundle bundle(String json) {
        return FHIR.newJsonParser().parseResource(Bundle.class, json);
    }

    private static List<ResourceValidation.Entry> entries(Bundle bundle) {
        return java.util.stream.IntStream.range(0, bundle.getEntry().size())
                .mapToObj(i -> new ResourceValidation.Entry(i, bundle.getEntry().get(i).getResource())).toList();
    }

    private static OperationOutcome outcome(UnprocessableEntityException e) {
        return (OperationOutcome) e.getOperationOutcome();
    }

    private static final String VALID = """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"fullUrl":"urn:uuid:0b6f6a4e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","active":true},
              "request":{"method":"POST","url":"Patient"}},
             {"fullUrl":"urn:uuid:0b6f6a4e-0000-4000-8000-000000000002","resource":{"resourceType":"Observation",
               "status":"final","code":{"text":"weight"},
               "subject":{"reference":"urn:uuid:0b6f6a4e-0000-4000-8000-000000000001"}},
              "request":{"method":"POST","url":"Observation"}}]}""";

    @Test
    void aValidTransactionPassesBothPartsAndKeepsItsResources() {
        Bundle bundle = bundle(VALID);
        assertThatCode(() -> validation.requireValidEnvelope(bundle)).doesNotThrowAnyException();
        assertThat(bundle.getEntry()).allMatch(e -> e.getResource() != null);
        ((org.hl7.fhir.r4.model.Observation) bundle.getEntry().get(1).getResource()).getSubject()
                .setReference("Patient/5f2c");
        assertThatCode(() -> validation.requireValidEntries(entries(bundle))).doesNotThrowAnyException();
    }

    @Test
    void aBrokenResourceIsLocatedInItsEntry() {
        Bundle bundle = bundle(VALID.replace("\"status\":\"final\",", ""));
        UnprocessableEntityException e = catchThrowableOfType(
                () -> validation.requireValidEntries(entries(bundle)), UnprocessableEntityException.class);
        assertThat(outcome(e).getIssueFirstRep().getDiagnostics()).startsWith("EHR-0430");
        assertThat(outcome(e).getIssue()).anyMatch(i -> i.getExpression().stream()
                .anyMatch(x -> x.getValue().startsWith("Bundle.entry[1].resource")) && i.getDiagnostics().contains("status"));
    }

    @Test
    void aReferenceToTheWrongTypeOfResourceIsRefusedOnceResolved() {
        Bundle bundle = bundle(VALID);
        // Observation.subject may be a Patient, Group, Device or Location: not an Organization
        ((org.hl7.fhir.r4.model.Observation) bundle.getEntry().get(1).getResource()).getSubject()
                .setReference("Organization/5f2c");
        UnprocessableEntityException e = catchThrowableOfType(
                () -> validation.requireValidEntries(entries(bundle)), UnprocessableEntityException.class);
        assertThat(outcome(e).getIssue()).anyMatch(i -> i.getExpression().stream()
                .anyMatch(x -> x.getValue().startsWith("Bundle.entry[1].resource.subject")));
    }

    @Test
    void aBrokenBundleRuleIsRefusedByTheEnvelope() {
        // a transaction entry must say what to do with it (bdl-3: entry.request mandatory for transactions)
        Bundle bundle = bundle(VALID.replace(",\n  \"request\":{\"method\":\"POST\",\"url\":\"Patient\"}", ""));
        bundle.getEntry().get(0).setRequest(null);
        UnprocessableEntityException e = catchThrowableOfType(
                () -> validation.requireValidEnvelope(bundle), UnprocessableEntityException.class);
        assertThat(e).isNotNull();
        assertThat(bundle.getEntry().get(0).getResource()).as("resources are put back after a refusal")
                .isInstanceOf(Resource.class);
    }

    @Test
    void aSingleWriteReferringToTheWrongTypeIsRefusedAndTheRightTypesPass() {
        var wrong = FHIR.newJsonParser().parseResource("""
                {"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                 "subject":{"reference":"Patient/1"},"serviceProvider":{"reference":"Patient/2"}}""");
        UnprocessableEntityException e = catchThrowableOfType(() -> validation.requireValid(wrong),
                UnprocessableEntityException.class);
        assertThat(outcome(e).getIssue()).anyMatch(i -> i.getDiagnostics().startsWith("EHR-0432 Encounter.serviceProvider")
                && i.getDiagnostics().contains("Organization"));
        var right = FHIR.newJsonParser().parseResource("""
                {"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                 "subject":{"reference":"http://elsewhere.example/fhir/Patient/1/_history/3"},
                 "serviceProvider":{"reference":"Organization/2"},"partOf":{"reference":"Encounter/5"},
                 "participant":[{"individual":{"reference":"Practitioner/7"}}]}""");
        assertThatCode(() -> validation.requireValid(right)).doesNotThrowAnyException();
    }

    @Test
    void theTypeOfALiteralReferenceIsReadFromItsUrl() {
        assertThat(ResourceValidation.targetType("Patient/1")).isEqualTo("Patient");
        assertThat(ResourceValidation.targetType("https://x.example/fhir/Observation/9/_history/2"))
                .isEqualTo("Observation");
        assertThat(ResourceValidation.targetType("urn:uuid:0b6f6a4e-0000-4000-8000-000000000001")).isNull();
        assertThat(ResourceValidation.targetType("#contained")).isNull();
        assertThat(ResourceValidation.targetType("Patient?identifier=a|b")).isNull();
    }
}
