package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.meridian.search.params.SearchParamCatalogue.Kind;
import health.meridian.search.params.SearchParamCatalogue.Param;
import health.meridian.web.fhir.search.SearchParameters;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * Makes the CapabilityStatement tell the truth about search: the generic search method accepts the supported R4
 * parameters of {@link SearchParameters} (refused ones are not listed), which HAPI cannot see in annotations, so
 * they are listed here with their types and definitions; includes are every reference parameter and {@code *}.
 */
@Interceptor
@ApplicationScoped
public class CapabilityStatementCustomizer {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeSearch(IBaseConformance generated) {
        CapabilityStatement cs = (CapabilityStatement) generated;
        cs.setPublisher("Meridian EHR");
        for (var rest : cs.getRest()) {
            List<String> served = rest.getResource().stream().map(CapabilityStatementRestResourceComponent::getType)
                    .toList();
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                // a provider with annotated parameters (AuditEvent) is described truthfully by HAPI already; the
                // mirror's generic search (no annotated parameters) is described here
                if (resource.getSearchParam().isEmpty()) {
                    describe(resource, served);
                }
            }
        }
    }

    private static void describe(CapabilityStatementRestResourceComponent resource, List<String> served) {
        String type = resource.getType();
        resource.getSearchParam().clear();
        resource.getSearchInclude().clear();
        resource.getSearchRevInclude().clear();
        for (Param p : SearchParameters.supported(type)) {
            var sp = resource.addSearchParam().setName(p.name()).setType(type(p.kind()));
            if (p.url() != null) {
                sp.setDefinition(p.url());
            }
            if (p.description() != null) {
                sp.setDocumentation(p.description());
            }
            if (p.kind() == Kind.REFERENCE) {
                resource.addSearchInclude(type + ":" + p.name());
            }
        }
        resource.addSearchInclude("*");
        for (String source : served) {
            for (Param p : SearchParameters.supported(source)) {
                if (p.kind() == Kind.REFERENCE && (p.targets().isEmpty() || p.targets().contains(type))) {
                    resource.addSearchRevInclude(source + ":" + p.name());
                }
            }
        }
        resource.addSearchRevInclude("*");
    }

    private static SearchParamType type(Kind kind) {
        return switch (kind) {
            case TOKEN -> SearchParamType.TOKEN;
            case STRING, TEXT -> SearchParamType.STRING;
            case DATE -> SearchParamType.DATE;
            case REFERENCE -> SearchParamType.REFERENCE;
            case QUANTITY -> SearchParamType.QUANTITY;
            case NUMBER -> SearchParamType.NUMBER;
            case URI -> SearchParamType.URI;
            case COMPOSITE -> SearchParamType.COMPOSITE;
            case SPECIAL -> SearchParamType.SPECIAL;
        };
    }
}
