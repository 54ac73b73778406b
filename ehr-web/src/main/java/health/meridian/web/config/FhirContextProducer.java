package health.meridian.web.config;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.EnvelopeExtractor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * One FHIR R4 context for the application (expensive to build, thread-safe once built); its parsers write stored
 * records answered without their model from the stored JSON ({@link health.meridian.web.fhir.StoredJsonFhirContext}).
 */
@ApplicationScoped
public class FhirContextProducer {

    private final FhirContext context = strict(new health.meridian.web.fhir.StoredJsonFhirContext());

    /**
     * Unknown elements, invalid primitive values and the like are errors, not warnings: bad input is refused.
     * Encoding does not walk every reference of a resource looking for a target object without an id to contain
     * (HAPI's auto-contain, on by default: ~4 % of a request thread's CPU in the mixed audited workload, issue #21):
     * Meridian's references are strings (stored JSON, or built as {@code new Reference("Type/id")}); contained
     * resources a record carries are still encoded as they are.
     */
    private static FhirContext strict(FhirContext context) {
        context.setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler());
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }

    @Produces
    public FhirContext fhirContext() {
        return context;
    }

    @Produces
    public EnvelopeExtractor envelopeExtractor() {
        return new EnvelopeExtractor(context);
    }
}
