package health.meridian.web.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import java.util.List;

/** The FHIR R4 endpoint at {@code /fhir}: HAPI's plain RestfulServer with one provider per served resource type (ServedProviders). */
@WebServlet(urlPatterns = "/fhir/*", loadOnStartup = 1)
public class FhirServlet extends RestfulServer {

    @Inject
    transient FhirContext fhir;
    @Inject
    transient ServedProviders providers;
    @Inject
    transient ExceptionTranslationInterceptor exceptions;
    @Inject
    transient SystemProvider system;
    @Inject
    transient CapabilityStatementCustomizer capabilities;
    @Inject
    transient ServerDescription description;
    @Inject
    transient CountCap countCap;
    @Inject
    transient BundleConformance bundleConformance;
    @Inject
    transient PatientEverythingOperation everything;
    @Inject
    transient PatientSummaryOperation summary;
    @Inject
    transient health.meridian.web.export.BulkExportOperation export;
    @Inject
    transient health.meridian.web.fhir.search.FhirSearchService searches;
    @Inject
    transient health.meridian.web.fhir.validation.ResourceValidation validation;

    /** The answer is written with flushes coalesced ({@link CoalescedFlushResponse}: HAPI flushed once per field). */
    @Override
    protected void service(jakarta.servlet.http.HttpServletRequest request,
                           jakarta.servlet.http.HttpServletResponse response)
            throws jakarta.servlet.ServletException, java.io.IOException {
        super.service(request, new CoalescedFlushResponse(response));
    }

    @Override
    protected void initialize() {
        setFhirContext(fhir);
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setDefaultPrettyPrint(false);
        List<IResourceProvider> all = providers.all();
        setResourceProviders(all);
        registerProvider(system);
        registerProvider(everything);
        registerProvider(summary);
        registerProvider(export);
        setPagingProvider(new PagingRouter(new health.meridian.web.fhir.search.CursorPagingProvider(searches),
                everything));
        registerInterceptor(exceptions);
        registerInterceptor(capabilities);
        registerInterceptor(description);
        registerInterceptor(countCap);
        registerInterceptor(bundleConformance);
        List<String> types = all.stream().map(p -> fhir.getResourceType(p.getResourceType())).toList();
        validation.warmUp(() -> capabilities.warmUp(types));
    }
}
