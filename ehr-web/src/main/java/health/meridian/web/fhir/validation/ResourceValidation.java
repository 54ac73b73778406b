package health.meridian.web.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

/**
 * Validation of incoming resources against the FHIR R4 base structure definitions (HAPI's instance validator with
 * the R4 validation resources): cardinalities, types, invariants (FHIRPath constraints) and fixed values.
 * Deliberately not checked here: terminology bindings to external code systems (SNOMED CT, LOINC, RxNorm cannot be
 * validated offline), extensions and profiles we do not hold (Synthea declares US Core; unknown profiles and
 * extensions are tolerated). Only issues of severity error reject a resource.
 */
@ApplicationScoped
public class ResourceValidation {

    private static final Logger LOG = Logger.getLogger(ResourceValidation.class.getName());

    @Inject
    FhirContext fhir;
    @Resource
    ManagedExecutorService executor;

    private FhirValidator validator;
    private FhirInstanceValidator module;
    private volatile boolean ready;

    @PostConstruct
    void init() {
        module = instanceValidator(fhir);
        validator = fhir.newValidator().registerValidatorModule(module);
    }

    /** The instance validator configured as above, for HAPI's request validating interceptor and for tests. */
    public static FhirInstanceValidator instanceValidator(FhirContext fhir) {
        return configure(new ReusingInstanceValidator(supportChain(fhir)));
    }

    /** The R4 base structure definitions and the built-in code systems; no external terminology. */
    public static ValidationSupportChain supportChain(FhirContext fhir) {
        return new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir), new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
    }

    /** Our settings on an instance validator module (also applied to HAPI's stock module in a test, to compare). */
    public static FhirInstanceValidator configure(FhirInstanceValidator module) {
        module.setNoTerminologyChecks(true);
        module.setAnyExtensionsAllowed(true);
        module.setErrorForUnknownProfiles(false);
        module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        return module;
    }

    public FhirInstanceValidator module() {
        return module;
    }

    /** Loads the structure definitions once, in the background, so the first write does not pay for it. */
    public void warmUp() {
        Runnable warm = () -> {
            long start = System.nanoTime();
            validate(new Patient().setActive(true));
            ready = true;
            LOG.info(() -> "FHIR validator ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        };
        if (executor != null) {
            executor.submit(warm);
        } else {
            warm.run();
        }
    }

    /** True once the structure definitions are loaded (a readiness check: the first write would wait for it). */
    public boolean ready() {
        return ready;
    }

    public ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    /**
     * Refuses a resource (or a whole Bundle, entry by entry) that breaks the R4 base structures: 422 with the
     * validator's OperationOutcome, errors only ({@code EHR-0430} in the first issue's diagnostics).
     */
    public void requireValid(IBaseResource resource) {
        ValidationResult result = validate(resource);
        if (!hasErrors(result)) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.STRUCTURE)
                .setDiagnostics("EHR-0430 the resource does not conform to the FHIR R4 base structure definitions");
        result.getMessages().stream().filter(ResourceValidation::isError).limit(50).forEach(m -> outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.INVALID)
                .setDiagnostics(m.getMessage()).addExpression(m.getLocationString()));
        throw new UnprocessableEntityException(fhir, outcome);
    }

    /** Whether the result holds an error or a fatal issue. */
    public static boolean hasErrors(ValidationResult result) {
        return result.getMessages().stream().anyMatch(ResourceValidation::isError);
    }

    /**
     * An error or fatal issue, except a transaction/batch entry without fullUrl: R4 lets a client leave it out for
     * an entry it creates (POST), and the server assigns the id.
     */
    public static boolean isError(ca.uhn.fhir.validation.SingleValidationMessage m) {
        return (m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                && !"Bundle_BUNDLE_Entry_NoFullUrl".equals(m.getMessageId());
    }
}
