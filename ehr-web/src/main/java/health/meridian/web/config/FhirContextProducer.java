package health.meridian.web.config;

import ca.uhn.fhir.context.FhirContext;
import health.meridian.domain.record.EnvelopeExtractor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** One FHIR R4 context for the application (expensive to build, thread-safe once built). */
@ApplicationScoped
public class FhirContextProducer {

    private final FhirContext context = strict(FhirContext.forR4());

    /** Unknown elements, invalid primitive values and the like are errors, not warnings: bad input is refused. */
    private static FhirContext strict(FhirContext context) {
        context.setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler());
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
