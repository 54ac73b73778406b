package health.meridian.search.params;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import health.meridian.search.params.SearchParamCatalogue.Param;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Evaluates every supported R4 search parameter of a resource (its FHIRPath expression, with HAPI's engine) into
 * the index document's search fields. {@code resolve()} in an expression (e.g. {@code subject.where(resolve() is
 * Patient)}) yields an empty resource of the referenced type, so type tests work without reading the target.
 */
public final class SearchParamIndexer {

    private static final Logger LOG = Logger.getLogger(SearchParamIndexer.class.getName());

    private final FhirContext fhir;
    private final SearchParamCatalogue catalogue;
    private final ValueWriter writer;
    /** FHIRPath engines are not thread-safe: one per thread, with its parsed expressions. */
    private final ThreadLocal<Engine> engines;

    private static final Map<FhirContext, SearchParamIndexer> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The indexer of a context (its per-thread engines and parsed expressions are kept across batches). */
    public static SearchParamIndexer of(FhirContext fhir) {
        return SHARED.computeIfAbsent(fhir, SearchParamIndexer::new);
    }

    private SearchParamIndexer(FhirContext fhir) {
        this.fhir = fhir;
        this.catalogue = new SearchParamCatalogue(fhir);
        this.writer = new ValueWriter(fhir);
        this.engines = ThreadLocal.withInitial(this::engine);
    }

    private record Engine(IFhirPath path, Map<String, IFhirPath.IParsedExpression> parsed) {
    }

    private Engine engine() {
        IFhirPath path = fhir.newFhirPath();
        path.setEvaluationContext(new IFhirPathEvaluationContext() {
            @Override
            public IBase resolveReference(IIdType id, IBase context) {
                if (id == null || !id.hasResourceType()) {
                    return null;
                }
                IBaseResource target = fhir.getResourceDefinition(id.getResourceType()).newInstance();
                target.setId(id);
                return target;
            }
        });
        return new Engine(path, new HashMap<>());
    }

    /** The search fields of {@code resource}; {@code lastUpdated} is the version's recording time. */
    public Map<String, Object> fields(IBaseResource resource, Instant lastUpdated) {
        IndexedValues values = new IndexedValues();
        String type = fhir.getResourceType(resource);
        for (Param p : catalogue.supported(type)) {
            if (p.expression() == null || "_id".equals(p.name()) || "_lastUpdated".equals(p.name())) {
                continue;
            }
            for (IBase value : evaluate(p, resource)) {
                writer.write(values, p, value);
            }
        }
        if (lastUpdated != null) {
            long t = lastUpdated.toEpochMilli();
            values.date("_lastUpdated", new FhirDates.Span(t, t));
        }
        return values.fields();
    }

    /**
     * The values of the expression's union parts, each evaluated on its own (as HAPI's own extractor does): the
     * engine's union removes duplicates by comparing values, and comparing quantities needs a UCUM service its
     * worker context does not have — and duplicates are harmless in an index.
     */
    private List<IBase> evaluate(Param p, IBaseResource resource) {
        Engine engine = engines.get();
        List<IBase> out = new java.util.ArrayList<>();
        for (String part : UnionParts.of(p.expression())) {
            try {
                IFhirPath.IParsedExpression parsed = engine.parsed().get(part);
                if (parsed == null) {
                    parsed = engine.path().parse(part);
                    engine.parsed().put(part, parsed);
                }
                out.addAll(engine.path().evaluate(resource, parsed, IBase.class));
            } catch (Exception e) {
                LOG.log(Level.FINE, "EHR-0252 search parameter " + p.name() + " not evaluable: " + e.getMessage());
            }
        }
        return out;
    }
}
