package health.meridian.web.fhir.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's {@link FhirInstanceValidator} with one change: the core {@link InstanceValidator} is reused instead of built
 * for every call. Building one parses the 1.5 MB OID registry and sets up a FHIRPath engine: measured at ~20 ms of CPU
 * per call, three quarters of the cost of validating a typical resource, and paid by every single-resource write.
 * <p>
 * A validator is not thread safe, so validators are lent out of a small pool (one per concurrent caller, at most
 * {@link #POOL} kept) and retired after {@link #USES} validations, so that whatever an instance accumulates between
 * calls (its fetch caches) stays bounded. The configuration is the one HAPI's wrapper applies (same settings, same
 * message filtering); {@code ReusingInstanceValidatorTest} checks that reused and fresh validators report the same
 * messages. Only JSON input is handled here; anything else goes through HAPI's own path.
 */
public class ReusingInstanceValidator extends FhirInstanceValidator {

    static final int POOL = 4;
    static final int USES = 500;

    private final BlockingQueue<Lease> idle = new ArrayBlockingQueue<>(POOL);

    public ReusingInstanceValidator(IValidationSupport support) {
        super(support);
    }

    private static final class Lease {
        final InstanceValidator validator;
        final IWorkerContext worker;
        int uses;

        Lease(InstanceValidator validator, IWorkerContext worker) {
            this.validator = validator;
            this.worker = worker;
        }
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        if (context.getResourceAsStringEncoding() != EncodingEnum.JSON) {
            return super.validate(context);
        }
        IWorkerContext worker = provideWorkerContext();
        Lease lease = borrow(worker);
        boolean healthy = false;
        try {
            List<ValidationMessage> messages = validate(lease.validator, worker, context);
            healthy = true;
            return messages;
        } finally {
            giveBack(lease, healthy);
        }
    }

    private Lease borrow(IWorkerContext worker) {
        Lease lease = idle.poll();
        while (lease != null && lease.worker != worker) {
            lease = idle.poll(); // the caches were invalidated and the worker context rebuilt: drop the old ones
        }
        return lease != null ? lease : new Lease(build(worker), worker);
    }

    private void giveBack(Lease lease, boolean healthy) {
        if (healthy && ++lease.uses < USES) {
            idle.offer(lease); // dropped when the pool is full
        }
    }

    @Override
    public void invalidateCaches() {
        idle.clear();
        super.invalidateCaches();
    }

    /** The validator HAPI's ValidatorWrapper builds, configured from this module's settings. */
    private InstanceValidator build(IWorkerContext worker) {
        InstanceValidator v;
        try {
            v = new InstanceValidator(worker,
                    Objects.requireNonNullElseGet(getHostApplicationServices(), NullEvaluationContext::new),
                    new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the FHIR instance validator: " + e.getMessage(), e);
        }
        v.setAssumeValidRestReferences(isAssumeValidRestReferences());
        v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setNoTerminologyChecks(isNoTerminologyChecks());
        v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        v.setUnknownCodeSystemsCauseErrors(true);
        v.getExtensionDomains().addAll(getExtensionDomains());
        v.setFetcher(getValidatorResourceFetcher());
        v.setPolicyAdvisor(getValidatorPolicyAdvisor());
        v.setNoExtensibleWarnings(isNoExtensibleWarnings());
        v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        v.setAllowExamples(isAllowExamples());
        v.setAllowXsiLocation(true);
        return v;
    }

    private List<ValidationMessage> validate(InstanceValidator v, IWorkerContext worker, IValidationContext<?> context) {
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        for (String url : context.getOptions().getProfiles()) {
            addProfile(worker, url, profiles, unknownProfiles);
        }
        Object resource = context.getResource();
        if (resource instanceof IBaseResource r && r.getMeta() != null) {
            for (IPrimitiveType<String> profile : r.getMeta().getProfile()) {
                addProfile(worker, profile.getValue(), profiles, unknownProfiles);
            }
        }
        List<ValidationMessage> messages = new ArrayList<>();
        byte[] json = context.getResourceAsString().getBytes(StandardCharsets.UTF_8);
        v.validate(null, messages, new ByteArrayInputStream(json), Manager.FhirFormat.JSON, profiles);
        if (profiles.isEmpty() && !unknownProfiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        messages.removeIf(m -> m.getMessageId() != null
                && (m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                        || (m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"))));
        ValidationMessage.IssueSeverity unknownProfile = isErrorForUnknownProfiles()
                ? ValidationMessage.IssueSeverity.ERROR : ValidationMessage.IssueSeverity.WARNING;
        messages.stream()
                .filter(m -> I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
                        || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId()))
                .forEach(m -> m.setLevel(unknownProfile));
        return messages;
    }

    private static void addProfile(IWorkerContext worker, String url, List<StructureDefinition> profiles,
            List<ValidationMessage> unknown) {
        try {
            StructureDefinition sd = worker.fetchResource(StructureDefinition.class, url);
            if (sd != null) {
                profiles.add(sd);
            } else {
                ValidationMessage m = new ValidationMessage();
                m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                m.setLevel(ValidationMessage.IssueSeverity.ERROR);
                m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknown.add(m);
            }
        } catch (FHIRException e) {
            // as HAPI: a profile that cannot be loaded is left out
        }
    }
}
