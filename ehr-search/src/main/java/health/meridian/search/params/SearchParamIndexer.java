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
            if (p.kind() == SearchParamCatalogue.Kind.COMPOSITE) {
                composite(values, type, p, resource);
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
     * A composite ({@code code-value-quantity}): for each element of its base ({@code Observation},
     * {@code Observation.component}), the first component's token forms paired with the second component's values
     * of the same element, written under {@code name$form} (so {@code 8480-6$gt100} compares one component's own
     * code and value). The components' expressions are the R4 ones made relative to the base element.
     */
    private void composite(IndexedValues out, String type, Param p, IBaseResource resource) {
        Param first = catalogue.find(type, p.components().get(0)).orElseThrow();
        Param second = catalogue.find(type, p.components().get(1)).orElseThrow();
        List<String> bases = UnionParts.of(p.expression());
        for (String base : bases) {
            List<String> firstPaths = UnionParts.relative(first.expression(), base, bases);
            List<String> secondPaths = UnionParts.relative(second.expression(), base, bases);
            for (IBase element : evaluate(p.name(), List.of(base), resource)) {
                IndexedValues scratch = new IndexedValues();
                evaluate(p.name(), firstPaths, element).forEach(v -> writer.write(scratch, "c", first.kind(), v));
                List<IBase> pairs = evaluate(p.name(), secondPaths, element);
                if (pairs.isEmpty()) {
                    continue;
                }
                for (String form : scratch.tokenForms("c")) {
                    out.present(p.name());
                    pairs.forEach(v -> writer.write(out, p.name() + "$" + form, second.kind(), v));
                }
            }
        }
    }

    private List<IBase> evaluate(Param p, IBaseResource resource) {
        return evaluate(p.name(), UnionParts.of(p.expression()), resource);
    }

    /**
     * The values of the expression's union parts, each evaluated on its own (as HAPI's own extractor does): the
     * engine's union removes duplicates by comparing values, and comparing quantities needs a UCUM service its
     * worker context does not have — and duplicates are harmless in an index.
     */
    private List<IBase> evaluate(String name, List<String> parts, IBase context) {
        Engine engine = engines.get();
        List<IBase> out = new java.util.ArrayList<>();
        for (String part : parts) {
            try {
                IFhirPath.IParsedExpression parsed = engine.parsed().get(part);
                if (parsed == null) {
                    parsed = engine.path().parse(part);
                    engine.parsed().put(part, parsed);
                }
                out.addAll(engine.path().evaluate(context, parsed, IBase.class));
            } catch (Exception e) {
                LOG.log(Level.FINE, "EHR-0252 search parameter " + name + " not evaluable: " + e.getMessage());
            }
        }
        return out;
    }
}
