package health.meridian.hapi;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR endpoint at {@code /fhir}: every resource provider of the JPA server, the system provider (transaction,
 * batch, history) and the JPA capability statement. No authentication, no request validation (HAPI's defaults).
 * Compact JSON by default, as Meridian answers, so both send the same bytes for the same resource.
 */
@Configuration
public class FhirServletConfiguration {

    @Bean
    public RestfulServer restfulServer(IFhirSystemDao<?, ?> systemDao, IJpaSystemProvider systemProvider,
            ResourceProviderFactory resourceProviders, JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParams, IValidationSupport validationSupport,
            DatabaseBackedPagingProvider paging) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParams, validationSupport));
        paging.setDefaultPageSize(20);   // the starter's default_page_size, and Meridian's
        paging.setMaximumPageSize(200);
        server.setPagingProvider(paging);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        return server;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
