package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.meridian.web.fhir.search.SearchParameters;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * Makes the CapabilityStatement tell the truth about search: the generic search method accepts the parameters of
 * {@link SearchParameters}, which HAPI cannot see in annotations, so they are listed here, with their types.
 */
@Interceptor
@ApplicationScoped
public class CapabilityStatementCustomizer {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeSearch(IBaseConformance generated) {
        CapabilityStatement cs = (CapabilityStatement) generated;
        cs.setPublisher("Meridian EHR");
        for (var rest : cs.getRest()) {
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                resource.getSearchParam().clear();
                SearchParameters.forType(resource.getType()).values().forEach(p ->
                        resource.addSearchParam().setName(p.name()).setType(type(p.kind())));
                resource.addSearchInclude("*:patient").addSearchRevInclude("*:patient");
            }
        }
    }

    private static SearchParamType type(SearchParameters.Kind kind) {
        return switch (kind) {
            case TOKEN, ID -> SearchParamType.TOKEN;
            case STRING, TEXT -> SearchParamType.STRING;
            case DATE -> SearchParamType.DATE;
            case REFERENCE -> SearchParamType.REFERENCE;
            case QUANTITY -> SearchParamType.QUANTITY;
        };
    }
}
