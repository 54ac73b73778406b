package health.meridian.web.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import health.meridian.domain.audit.AuditAction;
import health.meridian.domain.audit.AuditRecord;
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
import health.meridian.web.security.AuditRecorder;
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
    AuditRecorder audit;
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
        Caller caller = callers.get();
        CohortDefinition definition = parse(caller, body, cohortId);
        String query = compact(body);
        boolean guarded = policy.cohortAggregatesOnly(caller);
        if (guarded) {
            guard.requireNotLockedOut(caller, cohortId, query);
        }
        CohortRun evaluated = evaluate(caller, definition, cohortId, query);
        CohortRun run = guarded ? admitted(caller, evaluated, cohortId, query) : evaluated;
        audit.recordAlone(event(caller, "cohort-count", cohortId, compact(body))
                .withDetail(run.count() + " person(s) in " + run.tookMs() + " ms" + (run.persons() == null ? ""
                        : "; differencing guard " + run.guardMs() + " ms")));
        return run;
    }

    @Transactional
    public SavedCohort save(String name, String body) {
        Caller caller = callers.get();
        TenantId tenant = savingTenant(caller);
        parse(caller, body, null);
        SavedCohort cohort = new SavedCohort(UUID.randomUUID().toString(), name, compact(body), caller.username(),
                Instant.now(), null, null);
        binding.bind(tenant);
        repository.add(cohort);
        audit.accessed(event(caller, "cohort-save", cohort.id(), cohort.definitionJson()));
        return cohort;
    }

    @Transactional
    public List<SavedCohort> saved() {
        binding.bind(savingTenant(callers.get()));
        return repository.all();
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
        Caller caller = callers.get();
        List<TenantId> scope = scope(caller);
        if (first.persons() == null) {
            long both = scope.isEmpty() ? 0 : CohortIndexCall.unchecked(() -> index.overlap(population(caller, scope),
                    first.definition(), second.definition()));
            return figures(first.count(), second.count(), both);
        }
        return guardedFigures(caller, scope, first, second, new String[] {a, b, queryA, queryB});
    }

    /** The figures from the persons' sketches; published parts (see {@link CohortViews#comparison}) are guarded. */
    private long[] guardedFigures(Caller caller, List<TenantId> scope, CohortRun first, CohortRun second,
                                  String[] idsAndQueries) {
        PersonSetSketch both = scope.isEmpty() ? PersonSetSketch.builder().build() : CohortIndexCall.unchecked(
                () -> index.personsInBoth(population(caller, scope), first.definition(), second.definition()));
        long[] figures = figures(first.persons().size(), second.persons().size(), both.size());
        if (!Suppression.jointlyHidden(figures[2], figures[3], figures[4])) {
            String ka = key(first.definition(), idsAndQueries[2]);
            String kb = key(second.definition(), idsAndQueries[3]);
            Map<String, PersonSetSketch> parts = new LinkedHashMap<>();
            parts.put(CohortGuard.key("both", ka, kb), both);
            parts.put(CohortGuard.key("onlyA", ka, kb), first.persons().without(both));
            parts.put(CohortGuard.key("onlyB", ka, kb), second.persons().without(both));
            String ids = idsAndQueries[0] + "," + idsAndQueries[1];
            guard.admit(caller, parts, Set.of(ka, kb), ids, "compare " + ids);
        }
        return figures;
    }

    private static long[] figures(long a, long b, long both) {
        return new long[] {a, b, both, a - both, b - both};
    }

    /** The patients (own institution) of a saved cohort, for the tenant admin only; audited. */
    public CohortRun patients(String id) {
        Caller caller = callers.get();
        TenantId own;
        try {
            own = policy.cohortPatientListTenant(caller);
        } catch (AccessDeniedException e) {
            audit.refused(event(caller, "cohort-patients", id, null).refused(e.getMessage()));
            throw e;
        }
        SavedCohort saved = self.find(id);
        CohortDefinition definition = parse(caller, saved.definitionJson(), id);
        CohortRun counted = evaluate(caller, definition, id, saved.definitionJson());
        List<String> refs = counted.count() == 0 ? List.of() : CohortIndexCall.unchecked(() -> index.patients(
                population(caller, List.of(own)), definition, own));
        CohortRun run = counted.withPatients(refs);
        audit.recordAlone(AuditRecorder.event(caller, AuditAction.R, "cohort-patients", "Group", id)
                .about(own.value(), null, null).withQuery(saved.definitionJson())
                .withDetail(refs.size() + " patient(s) listed"));
        return run;
    }

    public boolean mayListPatients() {
        Caller c = callers.get();
        return c.hasRole("tenant-admin") && c.tenant().isPresent();
    }

    private CohortRun evaluate(Caller caller, CohortDefinition definition, String cohortId, String query) {
        List<Institution> all = tenants.all();
        List<TenantId> scope;
        try {
            scope = policy.cohortTenants(caller, all.stream().map(Institution::id).toList());
        } catch (AccessDeniedException e) {
            audit.refused(event(caller, "cohort-count", cohortId, query).refused(e.getMessage()));
            throw e;
        }
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
    private CohortRun admitted(Caller caller, CohortRun run, String cohortId, String query) {
        long start = System.nanoTime();
        PersonSetSketch persons = sketch(caller, run.definition());
        guard.admit(caller, Map.of(key(run.definition(), query), persons), Set.of(), cohortId, query);
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

    private CohortDefinition parse(Caller caller, String body, String cohortId) {
        try {
            return CohortJson.definition(CohortJson.tree(body), LocalDate.now(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            audit.refused(event(caller, "cohort-count", cohortId, body == null ? null
                    : body.substring(0, Math.min(body.length(), 2000))).refused(e.getMessage()));
            throw e;
        }
    }

    private TenantId savingTenant(Caller caller) {
        policy.cohortTenants(caller, List.of());
        if (caller.tenant().isEmpty()) {
            throw new AccessDeniedException("EHR-0828 saved cohorts belong to an institution; the token has none");
        }
        return caller.tenant().get();
    }

    private static AuditRecord event(Caller caller, String interaction, String cohortId, String query) {
        return AuditRecorder.event(caller, AuditAction.E, interaction, "Group", cohortId).withQuery(query);
    }

    static String compact(String body) {
        JsonNode tree = CohortJson.tree(body);
        if (tree.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("name");
        }
        return tree.toString();
    }
}
