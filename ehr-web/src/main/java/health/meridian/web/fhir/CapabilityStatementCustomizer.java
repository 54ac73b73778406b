package health.meridian.web.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import health.meridian.search.params.SearchParamCatalogue.Kind;
import health.meridian.search.params.SearchParamCatalogue.Param;
import health.meridian.web.fhir.search.SearchParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * Makes the CapabilityStatement tell the truth about search: the generic search method accepts the supported R4
 * parameters of {@link SearchParameters} (refused ones are not listed), which HAPI cannot see in annotations, so
 * they are listed here with their types and definitions; includes are every reference parameter and {@code *}.
 */
@Interceptor
@ApplicationScoped
public class CapabilityStatementCustomizer {

    /** What the CapabilityStatement says about one type's search (computed once per type: 141 types x 141). */
    private record Described(List<CapabilityStatementRestResourceSearchParamComponent> params, List<String> includes,
                             List<String> revIncludes) {
    }

    private final Map<String, Described> described = new ConcurrentHashMap<>();
    private volatile java.util.Set<String> servedTypes = java.util.Set.of();

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void describeSearch(IBaseConformance generated) {
        CapabilityStatement cs = (CapabilityStatement) generated;
        cs.setPublisher("Meridian EHR");
        bulkData(cs);
        for (var rest : cs.getRest()) {
            List<String> served = rest.getResource().stream().map(CapabilityStatementRestResourceComponent::getType)
                    .toList();
            if (!servedTypes.equals(java.util.Set.copyOf(served))) {
                described.clear();
                servedTypes = java.util.Set.copyOf(served);
            }
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                // a provider with annotated parameters (AuditEvent) is described truthfully by HAPI already; the
                // mirror's generic search (no annotated parameters) is described here
                if (resource.getSearchParam().isEmpty()) {
                    apply(resource, described.computeIfAbsent(resource.getType(), t -> describe(t, served)));
                }
            }
        }
    }

    private static final String BULK = "http://hl7.org/fhir/uv/bulkdata/";

    /**
     * Bulk Data Access v2 (ADR 0026): the server instantiates the IG's bulk-data CapabilityStatement, and its
     * {@code $export} operations (system, Patient, Group) name the IG's OperationDefinitions.
     */
    private static void bulkData(CapabilityStatement cs) {
        if (!cs.hasInstantiates(BULK + "CapabilityStatement/bulk-data")) {
            cs.addInstantiates(BULK + "CapabilityStatement/bulk-data");
        }
        for (var rest : cs.getRest()) {
            rest.getOperation().stream().filter(o -> "export".equals(o.getName()))
                    .forEach(o -> o.setDefinition(BULK + "OperationDefinition/export"));
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                String definition = "Patient".equals(resource.getType()) ? "patient-export"
                        : "Group".equals(resource.getType()) ? "group-export" : null;
                resource.getOperation().stream().filter(o -> "export".equals(o.getName()) && definition != null)
                        .forEach(o -> o.setDefinition(BULK + "OperationDefinition/" + definition));
            }
        }
    }

    /**
     * Computes every served type's description ahead of the first {@code /metadata} (the R4 catalogue of 141
     * types takes seconds to load on a busy machine), e.g. from the start-up warm-up.
     */
    public void warmUp(List<String> served) {
        servedTypes = java.util.Set.copyOf(served);
        served.forEach(t -> described.computeIfAbsent(t, x -> describe(x, served)));
    }

    private static void apply(CapabilityStatementRestResourceComponent resource, Described d) {
        resource.getSearchParam().clear();
        resource.getSearchInclude().clear();
        resource.getSearchRevInclude().clear();
        d.params().forEach(p -> resource.addSearchParam(p.copy()));
        d.includes().forEach(resource::addSearchInclude);
        d.revIncludes().forEach(resource::addSearchRevInclude);
    }

    private static Described describe(String type, List<String> served) {
        List<CapabilityStatementRestResourceSearchParamComponent> params = new ArrayList<>();
        List<String> includes = new ArrayList<>();
        List<String> revIncludes = new ArrayList<>();
        for (Param p : SearchParameters.supported(type)) {
            var sp = new CapabilityStatementRestResourceSearchParamComponent().setName(p.name()).setType(type(p.kind()));
            if (p.url() != null) {
                sp.setDefinition(p.url());
            }
            if (p.description() != null) {
                sp.setDocumentation(p.description());
            }
            params.add(sp);
            if (p.kind() == Kind.REFERENCE) {
                includes.add(type + ":" + p.name());
            }
        }
        includes.add("*");
        for (String source : served) {
            for (Param p : SearchParameters.supported(source)) {
                if (p.kind() == Kind.REFERENCE && (p.targets().isEmpty() || p.targets().contains(type))) {
                    revIncludes.add(source + ":" + p.name());
                }
            }
        }
        revIncludes.add("*");
        return new Described(List.copyOf(params), List.copyOf(includes), List.copyOf(revIncludes));
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
