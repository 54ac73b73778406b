package health.meridian.web.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.cohort.CohortDefinition;
import health.meridian.domain.cohort.CohortRepository;
import health.meridian.domain.cohort.PersonSetSketch;
import health.meridian.domain.cohort.Suppression;
import health.meridian.domain.cohort.SavedCohort;
import health.meridian.domain.search.CohortIndex;
import health.meridian.domain.tenant.Institution;
import health.meridian.domain.tenant.TenantId;
import health.meridian.infrastructure.persistence.TenantBinding;
import health.meridian.web.record.TenantService;
import health.meridian.web.security.AccessDeniedException;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.AccessSeam;
import health.meridian.web.security.Caller;
import health.meridian.web.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;

/**
 * Cohort queries within what the access policy allows: the scope comes from {@link AccessPolicy#cohortTenants},
 * researchers count only research-consenting persons, aggregate-only callers are guarded against differencing,
 * and every query (answered or refused) is audited.
 */
@ApplicationScoped
public class CohortService {

    @Inject
    CohortIndex index;
    @Inject
    AccessPolicy policy;
    @Inject
    CurrentCaller callers;
    @Inject
    TenantService tenants;
    @Inject
    AccessSeam seam;
    @Inject
    CohortRepository repository;
    @Inject
    TenantBinding binding;
    @Inject
    CohortService self;

    @Inject
    CohortGuard guard;

    /** Evaluates a definition given as JSON; guarded and audited. */
    public CohortRun count(String body, String cohortId) {
        AccessSeam.Acting acting = counting("cohort-count", cohortId, asked(body));
        Caller caller = acting.caller();
        CohortDefinition definition = parse(acting, body);
        String query = compact(body);
        boolean guarded = policy.cohortAggregatesOnly(caller);
        if (guarded) {
            guard.requireNotLockedOut(acting);
        }
        CohortRun evaluated = evaluate(caller, definition);
        CohortRun run = guarded ? admitted(acting, evaluated, query) : evaluated;
        acting.done(e -> e.withQuery(query).withDetail(run.count() + " person(s) in " + run.tookMs() + " ms"
                + (run.persons() == null ? "" : "; differencing guard " + run.guardMs() + " ms")));
        return run;
    }

    /**
     * A cohort use case, through the seam: whether the caller may count, and over which institutions, is
     * {@link health.meridian.web.security.AccessPolicy#cohortTenants}'s decision.
     */
    private AccessSeam.Acting counting(String interaction, String cohortId, String query) {
        return seam.acting(AuditAction.E, interaction, "Group", cohortId, e -> e.withQuery(query), c -> {
            scope(c);
            return AccessSeam.Bound.none();
        });
    }

    /** The request as asked, for the audit event (bounded: a refused body may be anything). */
    private static String asked(String body) {
        return body == null ? null : body.substring(0, Math.min(body.length(), 2000));
    }

    @Transactional
    public SavedCohort save(String name, String body) {
        AccessSeam.Acting acting = seam.acting(AuditAction.E, "cohort-save", "Group", null,
                e -> e.withQuery(asked(body)),
                c -> AccessSeam.Bound.tenant(savingTenant(c)));
        Caller caller = acting.caller();
        parse(acting, body);
        SavedCohort cohort = new SavedCohort(UUID.randomUUID().toString(), name, compact(body), caller.username(),
                Instant.now(), null, null);
        repository.add(cohort);
        acting.done(e -> e.withResource("Group", cohort.id()).withQuery(cohort.definitionJson()));
        return cohort;
    }

    @Transactional
    public List<SavedCohort> saved() {
        AccessSeam.Acting acting = seam.acting(AuditAction.R, "cohort-list", "Group", null,
                c -> AccessSeam.Bound.tenant(savingTenant(c)));
        List<SavedCohort> all = repository.all();
        acting.done(e -> e.withDetail(all.size() + " saved cohorts"));
        return all;
    }

    @Transactional
    public SavedCohort find(String id) {
        binding.bind(savingTenant(callers.get()));
        return repository.find(id).orElseThrow(() -> new NoSuchElementException("EHR-0827 no saved cohort " + id));
    }

    /** Reruns a saved cohort and remembers its count. */
    public CohortRun rerun(String id) {
        SavedCohort saved = self.find(id);
        CohortRun run = count(saved.definitionJson(), id);
        self.recordRun(id, run.count());
        return run;
    }

    @Transactional
    public void recordRun(String id, long count) {
        binding.bind(savingTenant(callers.get()));
        repository.recordRun(id, count, Instant.now());
    }

    /**
     * Both cohorts evaluated now: sizes, overlap and differences (published jointly suppressed by the caller). For an
     * aggregate-only caller both runs pass the guard, and so do the three parts when they will be published.
     */
    public long[] compare(String a, String b) {
        String queryA = compact(self.find(a).definitionJson());
        String queryB = compact(self.find(b).definitionJson());
        CohortRun first = count(queryA, a);
        CohortRun second = count(queryB, b);
        String ids = a + "," + b;
        AccessSeam.Acting acting = counting("cohort-compare", ids, "compare " + ids);
        Caller caller = acting.caller();
        List<TenantId> scope = scope(caller);
        long[] figures;
        if (first.persons() == null) {
            long both = scope.isEmpty() ? 0 : CohortIndexCall.unchecked(() -> index.overlap(population(caller, scope),
                    first.definition(), second.definition()));
            figures = figures(first.count(), second.count(), both);
        } else {
            figures = guardedFigures(acting, scope, first, second, queryA, queryB);
        }
        acting.done(e -> e.withDetail("compared"));
        return figures;
    }

    /** The figures from the persons' sketches; published parts (see {@link CohortViews#comparison}) are guarded. */
    private long[] guardedFigures(AccessSeam.Acting acting, List<TenantId> scope, CohortRun first,
                                  CohortRun second, String queryA, String queryB) {
        Caller caller = acting.caller();
        PersonSetSketch both = scope.isEmpty() ? PersonSetSketch.builder().build() : CohortIndexCall.unchecked(
                () -> index.personsInBoth(population(caller, scope), first.definition(), second.definition()));
        long[] figures = figures(first.persons().size(), second.persons().size(), both.size());
        if (!Suppression.jointlyHidden(figures[2], figures[3], figures[4])) {
            String ka = key(first.definition(), queryA);
            String kb = key(second.definition(), queryB);
            Map<String, PersonSetSketch> parts = new LinkedHashMap<>();
            parts.put(CohortGuard.key("both", ka, kb), both);
            parts.put(CohortGuard.key("onlyA", ka, kb), first.persons().without(both));
            parts.put(CohortGuard.key("onlyB", ka, kb), second.persons().without(both));
            guard.admit(acting, parts, Set.of(ka, kb));
        }
        return figures;
    }

    private static long[] figures(long a, long b, long both) {
        return new long[] {a, b, both, a - both, b - both};
    }

    /** The patients (own institution) of a saved cohort, for the tenant admin only; audited. */
    public CohortRun patients(String id) {
        TenantId[] listed = new TenantId[1];
        AccessSeam.Acting acting = seam.acting(AuditAction.R, "cohort-patients", "Group", id, c -> {
            scope(c);
            listed[0] = policy.cohortPatientListTenant(c);
            return AccessSeam.Bound.none(); // no transaction here: the saved cohort's read binds its own
        });
        Caller caller = acting.caller();
        TenantId own = listed[0];
        SavedCohort saved = self.find(id);
        CohortDefinition definition = parse(acting, saved.definitionJson());
        CohortRun counted = evaluate(caller, definition);
        List<String> refs = counted.count() == 0 ? List.of() : CohortIndexCall.unchecked(() -> index.patients(
                population(caller, List.of(own)), definition, own));
        CohortRun run = counted.withPatients(refs);
        acting.done(e -> e.about(own.value(), null, null).withQuery(saved.definitionJson())
                .withDetail(refs.size() + " patient(s) listed"));
        return run;
    }

    /**
     * The patients ({@code Patient/id}) of a saved cohort of {@code own} institution, evaluated now, for a bulk
     * export of the cohort as a FHIR Group ({@code Group/[id]/$export}, ADR 0026). The export was admitted by the
     * seam ({@link health.meridian.web.security.AccessPolicy#bulkExport}); the list is not answered to anyone, it
     * only names whose records the export judges, record by record, for its caller. Empty when there is no such
     * cohort at {@code own}. Runs in the caller's transaction.
     */
    public java.util.Optional<List<String>> exportMembers(TenantId own, String id) {
        binding.bind(own);
        java.util.Optional<SavedCohort> saved = repository.find(id);
        if (saved.isEmpty()) {
            return java.util.Optional.empty();
        }
        CohortDefinition definition = CohortJson.definition(CohortJson.tree(saved.get().definitionJson()),
                LocalDate.now(ZoneOffset.UTC));
        CohortIndex.Population population = new CohortIndex.Population(List.of(own), false, tenants.all());
        return java.util.Optional.of(CohortIndexCall.unchecked(() -> index.patients(population, definition, own)));
    }

    public boolean mayListPatients() {
        Caller c = callers.get();
        return c.hasRole("tenant-admin") && c.tenant().isPresent();
    }

    /** Counts over the institutions the policy gave the caller (the use case was admitted by the seam). */
    private CohortRun evaluate(Caller caller, CohortDefinition definition) {
        List<TenantId> scope = scope(caller);
        long start = System.nanoTime();
        boolean consented = policy.cohortNeedsResearchConsent(caller);
        if (scope.isEmpty()) {
            return new CohortRun(definition, 0, Map.of(), List.of(), 0, consented, null, 0);
        }
        CohortIndex.Counts counts = CohortIndexCall.unchecked(() -> index.count(population(caller, scope),
                definition));
        return new CohortRun(definition, counts.total(), counts.breakdowns(), List.of(),
                (System.nanoTime() - start) / 1_000_000, consented, null, 0);
    }

    private CohortIndex.Population population(Caller caller, List<TenantId> scope) {
        return new CohortIndex.Population(scope, policy.cohortNeedsResearchConsent(caller), tenants.all());
    }

    /** The run, once the guard admitted the persons it counted (else refused: 409). */
    private CohortRun admitted(AccessSeam.Acting acting, CohortRun run, String query) {
        long start = System.nanoTime();
        PersonSetSketch persons = sketch(acting.caller(), run.definition());
        guard.admit(acting, Map.of(key(run.definition(), query), persons), Set.of());
        return run.withPersons(persons, (System.nanoTime() - start) / 1_000_000);
    }

    private PersonSetSketch sketch(Caller caller, CohortDefinition definition) {
        List<TenantId> scope = scope(caller);
        return scope.isEmpty() ? PersonSetSketch.builder().build()
                : CohortIndexCall.unchecked(() -> index.persons(population(caller, scope), definition));
    }

    private List<TenantId> scope(Caller caller) {
        return policy.cohortTenants(caller, tenants.all().stream().map(Institution::id).toList());
    }

    private static String key(CohortDefinition definition, String query) {
        return CohortGuard.key(query, definition.indexDate().toString());
    }

    private static CohortDefinition parse(AccessSeam.Acting acting, String body) {
        try {
            return CohortJson.definition(CohortJson.tree(body), LocalDate.now(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            throw acting.refused(e, r -> r);
        }
    }

    private TenantId savingTenant(Caller caller) {
        policy.cohortTenants(caller, List.of());
        if (caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-0828 saved cohorts belong to an institution; the token has none");
        }
        return caller.tenant().get();
    }

    static String compact(String body) {
        JsonNode tree = CohortJson.tree(body);
        if (tree.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("name");
        }
        return tree.toString();
    }
}
