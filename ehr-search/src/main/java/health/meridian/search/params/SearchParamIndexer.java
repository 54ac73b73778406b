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
 *
 * <p>The derivation is the search mirror's main cost, so each type's parameters are compiled once into a plan
 * ({@link Part}): a union part that starts at another resource type ({@code CarePlan.subject…} in the shared
 * {@code patient} parameter, evaluated against an Observation) can only yield nothing and is skipped; a plain path
 * ({@code Observation.code}, {@code code.coding}) is walked child by child with the same primitive the FHIRPath
 * engine navigates with ({@code Base.listChildrenByName}), without the engine's per-call set-up; everything else
 * goes to the engine, parsed once. {@code SearchParamIndexerTest} checks the plan against the engine alone on
 * Synthea resources: the same documents.
 */
public final class SearchParamIndexer {

    private static final Logger LOG = Logger.getLogger(SearchParamIndexer.class.getName());

    private final FhirContext fhir;
    private final SearchParamCatalogue catalogue;
    private final ValueWriter writer;
    /** FHIRPath engines are not thread-safe: one per thread, with its parsed expressions. */
    private final ThreadLocal<Engine> engines;

    /** False: every part through the FHIRPath engine (the reference the compiled plan is tested against). */
    private final boolean compiled;
    /** Per resource type: its supported parameters with their compiled parts. */
    private final Map<String, List<Compiled>> plans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> resourceTypes;

    private static final Map<FhirContext, SearchParamIndexer> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
    /** A plain path: a type or element name, then element names ({@code Observation.code.coding}, {@code value}). */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile(
            "[A-Za-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*");
    /** A plain path to references of one type: {@code Observation.subject.where(resolve() is Patient)}. */
    private static final java.util.regex.Pattern RESOLVES_TO = java.util.regex.Pattern.compile(
            "([A-Za-z][A-Za-z0-9]*(?:\\.[a-z][A-Za-z0-9]*)*)\\.where\\(resolve\\(\\) is ([A-Z][A-Za-z0-9]*)\\)");
    /** The type a part starts at ({@code (Observation.value as Quantity)} → Observation). */
    private static final java.util.regex.Pattern LEADING_TYPE = java.util.regex.Pattern.compile(
            "^\\(*([A-Z][A-Za-z0-9]*)\\.");
    /**
     * FHIRPath that can answer something on an empty input (existence, counts, booleans, comparisons): a part
     * containing any of these is never skipped, whatever type it starts at.
     */
    private static final java.util.regex.Pattern NOT_EMPTY_ON_EMPTY = java.util.regex.Pattern.compile(
            "exists|empty|count|not\\(|iif|all|any|\\band\\b|\\bor\\b|\\bxor\\b|implies|=|<|>|\\+|-|\\*|/|&|union|"
                    + "combine|hasValue|subsetOf|supersetOf|isDistinct|%|\\$");

    /** The indexer of a context (its per-thread engines and parsed expressions are kept across batches). */
    public static SearchParamIndexer of(FhirContext fhir) {
        return SHARED.computeIfAbsent(fhir, f -> new SearchParamIndexer(f, true));
    }

    /** Every part through the FHIRPath engine, no plan: for tests that compare the two. */
    static SearchParamIndexer engineOnly(FhirContext fhir) {
        return new SearchParamIndexer(fhir, false);
    }

    private SearchParamIndexer(FhirContext fhir, boolean compiled) {
        this.fhir = fhir;
        this.compiled = compiled;
        this.catalogue = new SearchParamCatalogue(fhir);
        this.writer = new ValueWriter(fhir);
        this.engines = ThreadLocal.withInitial(this::engine);
        this.resourceTypes = java.util.Set.copyOf(fhir.getResourceTypes());
    }

    /**
     * One union part, compiled: {@code skip} (it starts at another resource type: nothing), {@code path} (plain
     * element names to walk; {@code type} the leading type test, or null when it starts at an element), or the
     * expression for the engine.
     */
    private record Part(String expression, boolean skip, String type, String[] path, String resolvesTo) {
        Part(String expression, boolean skip, String type, String[] path) {
            this(expression, skip, type, path, null);
        }
    }

    /** A supported parameter with its parts (a composite: its bases, and per base its components' parts). */
    private record Compiled(Param param, List<Part> parts, List<CompositeBase> bases, Param first, Param second) {
    }

    private record CompositeBase(Part base, List<Part> firstParts, List<Part> secondParts) {
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
        for (Compiled c : plans.computeIfAbsent(type, this::plan)) {
            Param p = c.param();
            if (p.kind() == SearchParamCatalogue.Kind.COMPOSITE) {
                composite(values, c, resource);
                continue;
            }
            for (IBase value : evaluate(p.name(), c.parts(), resource)) {
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
    private void composite(IndexedValues out, Compiled c, IBaseResource resource) {
        Param p = c.param();
        for (CompositeBase base : c.bases()) {
            for (IBase element : evaluate(p.name(), List.of(base.base()), resource)) {
                IndexedValues scratch = new IndexedValues();
                evaluate(p.name(), base.firstParts(), element).forEach(v -> writer.write(scratch, "c", c.first().kind(),
                        v));
                List<IBase> pairs = evaluate(p.name(), base.secondParts(), element);
                if (pairs.isEmpty()) {
                    continue;
                }
                for (String form : scratch.tokenForms("c")) {
                    out.present(p.name());
                    pairs.forEach(v -> writer.write(out, p.name() + "$" + form, c.second().kind(), v));
                }
            }
        }
    }

    /** The plan of a type: its supported parameters (those with an R4 expression), each part compiled once. */
    private List<Compiled> plan(String type) {
        List<Compiled> out = new java.util.ArrayList<>();
        for (Param p : catalogue.supported(type)) {
            if (p.expression() == null || "_id".equals(p.name()) || "_lastUpdated".equals(p.name())) {
                continue;
            }
            if (p.kind() != SearchParamCatalogue.Kind.COMPOSITE) {
                out.add(new Compiled(p, parts(type, UnionParts.of(p.expression()), true), List.of(), null, null));
                continue;
            }
            Param first = catalogue.find(type, p.components().get(0)).orElseThrow();
            Param second = catalogue.find(type, p.components().get(1)).orElseThrow();
            List<String> bases = UnionParts.of(p.expression());
            List<CompositeBase> compiledBases = new java.util.ArrayList<>();
            for (String base : bases) {
                compiledBases.add(new CompositeBase(parts(type, List.of(base), true).get(0),
                        parts(type, UnionParts.relative(first.expression(), base, bases), false),
                        parts(type, UnionParts.relative(second.expression(), base, bases), false)));
            }
            out.add(new Compiled(p, List.of(), List.copyOf(compiledBases), first, second));
        }
        return List.copyOf(out);
    }

    /** Compiles parts evaluated on a resource of {@code type} ({@code onResource}) or on one of its elements. */
    private List<Part> parts(String type, List<String> expressions, boolean onResource) {
        List<Part> out = new java.util.ArrayList<>();
        for (String e : expressions) {
            out.add(part(type, e, onResource));
        }
        return List.copyOf(out);
    }

    private Part part(String type, String expression, boolean onResource) {
        if (!compiled) {
            return new Part(expression, false, null, null);
        }
        java.util.regex.Matcher leading = LEADING_TYPE.matcher(expression);
        if (onResource && leading.find() && resourceTypes.contains(leading.group(1)) && !type.equals(leading.group(1))
                && !NOT_EMPTY_ON_EMPTY.matcher(expression).find()) {
            return new Part(expression, true, null, null);
        }
        java.util.regex.Matcher where = RESOLVES_TO.matcher(expression);
        if (where.matches()) {
            Part path = part(type, where.group(1), onResource);
            return path.path() == null ? new Part(expression, false, null, null)
                    : new Part(expression, false, path.type(), path.path(), where.group(2));
        }
        if (!PLAIN.matcher(expression).matches()) {
            return new Part(expression, false, null, null);
        }
        String[] names = expression.split("\\.");
        if (!Character.isUpperCase(names[0].charAt(0))) {
            return new Part(expression, false, null, names);
        }
        // a leading type name: the engine tests it against the resource's type and its bases
        if (!onResource || !(type.equals(names[0]) || "Resource".equals(names[0]) || "DomainResource".equals(names[0])
                && fhir.getResourceDefinition(type).newInstance() instanceof org.hl7.fhir.r4.model.DomainResource)) {
            return new Part(expression, false, null, null);
        }
        return new Part(expression, false, names[0], java.util.Arrays.copyOfRange(names, 1, names.length));
    }

    /**
     * The values of the expression's union parts, each evaluated on its own (as HAPI's own extractor does): the
     * engine's union removes duplicates by comparing values, and comparing quantities needs a UCUM service its
     * worker context does not have — and duplicates are harmless in an index.
     */
    private List<IBase> evaluate(String name, List<Part> parts, IBase context) {
        List<IBase> out = new java.util.ArrayList<>();
        Engine engine = null;
        for (Part part : parts) {
            if (part.skip()) {
                continue;
            }
            if (part.path() != null && part.resolvesTo() == null) {
                walk(context, part.path(), 0, out);
                continue;
            }
            if (part.path() != null && resolvedOfType(context, part, out)) {
                continue;
            }
            if (engine == null) {
                engine = engines.get();
            }
            try {
                IFhirPath.IParsedExpression parsed = engine.parsed().get(part.expression());
                if (parsed == null) {
                    parsed = engine.path().parse(part.expression());
                    engine.parsed().put(part.expression(), parsed);
                }
                out.addAll(engine.path().evaluate(context, parsed, IBase.class));
            } catch (Exception e) {
                LOG.log(Level.FINE, "EHR-0252 search parameter " + name + " not evaluable: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * {@code path.where(resolve() is T)} without the engine, for plain {@code Type/id} references (relative, or
     * absolute URLs ending in one) — the type test of an empty resource of the referenced type. Returns false (the
     * engine evaluates the whole part) when an element is no such reference: contained ({@code #id}), a canonical,
     * an identifier-only or {@code urn:} reference.
     */
    private static boolean resolvedOfType(IBase context, Part part, List<IBase> out) {
        List<IBase> items = new java.util.ArrayList<>();
        walk(context, part.path(), 0, items);
        List<IBase> matches = new java.util.ArrayList<>();
        for (IBase item : items) {
            if (!(item instanceof org.hl7.fhir.r4.model.Reference ref) || ref.getReference() == null) {
                return false;
            }
            String value = ref.getReference();
            if (value.startsWith("#") || value.startsWith("urn:") || value.contains("?")) {
                return false;
            }
            org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(value);
            if (id.hasResourceType() && part.resolvesTo().equals(id.getResourceType())) {
                matches.add(item);
            }
        }
        out.addAll(matches);
        return true;
    }

    /** A plain path, as the FHIRPath engine navigates it: each name's children in order, nulls dropped. */
    private static void walk(IBase item, String[] path, int at, List<IBase> out) {
        if (at == path.length) {
            out.add(item);
            return;
        }
        org.hl7.fhir.r4.model.Base[] children = ((org.hl7.fhir.r4.model.Base) item).listChildrenByName(path[at], false);
        if (children == null) {
            return;
        }
        for (org.hl7.fhir.r4.model.Base child : children) {
            if (child != null) {
                walk(child, path, at + 1, out);
            }
        }
    }
}
