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
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
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
    private static final int WARM_UP_ATTEMPTS = 5;

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
        warmUp(() -> { });
    }

    /** {@link #warmUp()}, and {@code alsoBeforeReady} (e.g. the CapabilityStatement's descriptions) before ready. */
    public void warmUp(Runnable alsoBeforeReady) {
        Runnable warm = () -> {
            long start = System.nanoTime();
            // A failure here would leave the instance never ready, silently (the executor keeps the exception in a
            // Future nobody reads): it is logged and the warm-up tried again, a few times, before giving up.
            for (int attempt = 1; attempt <= WARM_UP_ATTEMPTS && !ready; attempt++) {
                try {
                    alsoBeforeReady.run();
                    validate(new Patient().setActive(true));
                    // The mirror's search-parameter indexer builds its FHIRPath engine (R4 structure definitions) on
                    // first use, several seconds: done here too, so the first write after start is searchable as
                    // soon as shipped.
                    health.meridian.search.params.SearchParamIndexer.of(fhir).fields(new Patient().setActive(true),
                            java.time.Instant.now());
                    ready = true;
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(java.util.logging.Level.SEVERE, "EHR-0464 warming up the FHIR validator failed (attempt "
                            + attempt + " of " + WARM_UP_ATTEMPTS + ")", e);
                    try {
                        Thread.sleep(2000L * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            if (ready) {
                LOG.info(() -> "FHIR validator and search indexer ready in " + (System.nanoTime() - start) / 1_000_000
                        + " ms");
            }
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
        List<Issue> issues = new ArrayList<>(result.getMessages().stream().filter(ResourceValidation::isError)
                .map(m -> new Issue(m.getMessage(), m.getLocationString())).toList());
        issues.addAll(referenceTargets(resource, resource.fhirType()));
        if (!issues.isEmpty()) {
            throw refusal(issues);
        }
    }

    /**
     * References whose URL names a type of resource the element may not point at ({@code Observation.subject} to an
     * {@code Organization/…}). The instance validator checks this only for references it can resolve inside a Bundle;
     * here it is checked for every {@code Type/id} reference (relative or absolute, after the server resolved a
     * transaction's urn:uuid and conditional references), whatever the target's existence. References in choice
     * elements and extensions name no allowed types in the model and are left to the validator.
     */
    List<Issue> referenceTargets(IBaseResource resource, String prefix) {
        List<Issue> issues = new ArrayList<>();
        fhir.newTerser().visit(resource, new ca.uhn.fhir.util.IModelVisitor2() {
            @Override
            public boolean acceptElement(org.hl7.fhir.instance.model.api.IBase element,
                    List<org.hl7.fhir.instance.model.api.IBase> containing,
                    List<ca.uhn.fhir.context.BaseRuntimeChildDefinition> children,
                    List<ca.uhn.fhir.context.BaseRuntimeElementDefinition<?>> definitions) {
                if (element instanceof org.hl7.fhir.r4.model.Reference ref && !children.isEmpty()
                        && children.get(children.size() - 1)
                                instanceof ca.uhn.fhir.context.RuntimeChildResourceDefinition child) {
                    String type = targetType(ref.getReference());
                    if (type != null && !allows(child.getResourceTypes(), type)) {
                        String path = prefix + children.stream().map(c -> "." + c.getElementName())
                                .reduce("", String::concat);
                        issues.add(new Issue("EHR-0432 " + path + " may not refer to a " + type + " (allowed: "
                                + allowed(child.getResourceTypes()) + ")", path));
                    }
                }
                return true;
            }
        });
        return issues;
    }

    /** The type a literal reference names ({@code Patient/1}, {@code http://x/fhir/Patient/1/_history/2}), or null. */
    static String targetType(String reference) {
        if (reference == null || reference.isBlank() || reference.startsWith("#") || reference.startsWith("urn:")
                || reference.contains("?")) {
            return null;
        }
        String type = new org.hl7.fhir.r4.model.IdType(reference).getResourceType();
        return type == null || type.isBlank() ? null : type;
    }

    private boolean allows(List<Class<? extends IBaseResource>> types, String type) {
        Class<? extends IBaseResource> target;
        try {
            target = fhir.getResourceDefinition(type).getImplementingClass();
        } catch (ca.uhn.fhir.parser.DataFormatException unknown) {
            return false;
        }
        return types.stream().anyMatch(t -> t.isAssignableFrom(target));
    }

    private String allowed(List<Class<? extends IBaseResource>> types) {
        return types.stream().map(t -> java.lang.reflect.Modifier.isAbstract(t.getModifiers()) || t.isInterface()
                ? "any resource" : fhir.getResourceType(t)).distinct().reduce((a, b) -> a + ", " + b).orElse("none");
    }

    /** One error: what is wrong, and where (a FHIRPath-like location). */
    record Issue(String message, String location) {
    }

    private UnprocessableEntityException refusal(List<Issue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.STRUCTURE)
                .setDiagnostics("EHR-0430 the resource does not conform to the FHIR R4 base structure definitions");
        issues.stream().limit(50).forEach(i -> outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.INVALID)
                .setDiagnostics(i.message()).addExpression(i.location()));
        return new UnprocessableEntityException(fhir, outcome);
    }

    /**
     * The Bundle-level rules of a transaction (type, entries, requests, fullUrls, the bdl-* invariants) without its
     * resources, which {@link #requireValidEntries} checks after the server has resolved the references. Validating
     * the Bundle as a whole instead costs time quadratic in its size: the validator looks up every reference by a
     * linear scan of all entries (a Synthea patient of 9,000 entries took minutes).
     */
    public void requireValidEnvelope(Bundle bundle) {
        List<org.hl7.fhir.r4.model.Resource> detached = new ArrayList<>(bundle.getEntry().size());
        bundle.getEntry().forEach(e -> {
            detached.add(e.getResource());
            e.setResource(null);
        });
        try {
            requireValid(bundle);
        } finally {
            for (int i = 0; i < detached.size(); i++) {
                bundle.getEntry().get(i).setResource(detached.get(i));
            }
        }
    }

    /** The resource of entry {@code index} of a transaction Bundle. */
    public record Entry(int index, IBaseResource resource) {
    }

    /**
     * The resources of a transaction, each on its own and in parallel (the calling thread and, for larger Bundles,
     * one helper per further core), after the server resolved the Bundle's references to {@code Type/id}: the
     * validator then checks each reference's target type from its URL, as it does for a single write. All errors are
     * reported together, located as {@code Bundle.entry[i].resource…}; nothing has been written when this refuses.
     */
    public void requireValidEntries(List<Entry> entries) {
        int parts = executor == null ? 1
                : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), entries.size() / MIN_PER_PART));
        List<List<Issue>> found = new ArrayList<>();
        List<java.util.concurrent.Future<List<Issue>>> helpers = new ArrayList<>();
        for (int part = 1; part < parts; part++) {
            int first = part;
            helpers.add(executor.submit(() -> validatePart(entries, first, parts)));
        }
        found.add(validatePart(entries, 0, parts));
        for (java.util.concurrent.Future<List<Issue>> helper : helpers) {
            try {
                found.add(helper.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("EHR-0431 validation interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("EHR-0431 validation failed: " + e.getCause(), e.getCause());
            }
        }
        List<Issue> issues = found.stream().flatMap(List::stream).toList();
        if (!issues.isEmpty()) {
            throw refusal(issues);
        }
    }

    /** Entries below this many per part are not worth a second thread. */
    static final int MIN_PER_PART = 16;

    private List<Issue> validatePart(List<Entry> entries, int first, int step) {
        List<Issue> issues = new ArrayList<>();
        for (int i = first; i < entries.size(); i += step) {
            Entry entry = entries.get(i);
            String type = entry.resource().fhirType();
            String prefix = "Bundle.entry[" + entry.index() + "].resource";
            validate(entry.resource()).getMessages().stream().filter(ResourceValidation::isError).forEach(m -> {
                String location = m.getLocationString() == null ? "" : m.getLocationString();
                issues.add(new Issue(m.getMessage(), location.startsWith(type)
                        ? prefix + location.substring(type.length()) : prefix + "." + location));
            });
            issues.addAll(referenceTargets(entry.resource(), prefix));
        }
        return issues;
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
