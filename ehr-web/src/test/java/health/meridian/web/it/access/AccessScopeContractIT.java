package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.record.EnvelopeExtractor;
import health.meridian.domain.record.RecordEnvelope;
import health.meridian.domain.record.ResourceKey;
import health.meridian.domain.record.StoredResource;
import health.meridian.domain.search.RecordIndex.IndexedRecord;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.SearchResult;
import health.meridian.search.ElasticsearchClients;
import health.meridian.search.ElasticsearchRecordIndex;
import health.meridian.search.IndexBootstrap;
import health.meridian.search.IndexNames;
import health.meridian.search.SearchDocuments;
import health.meridian.web.security.AccessPolicy;
import health.meridian.web.security.Caller;
import health.meridian.web.security.Decision;
import health.meridian.web.it.access.ScopeWorld.Case;
import health.meridian.web.it.access.ScopeWorld.Rec;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scope rule's contract (issue 18, item 4): {@link AccessPolicy#decide} is the reference, and the two other
 * places that confine reads must agree with it over generated callers × records ({@link ScopeWorld}: roles, care
 * teams, grants with scopes and periods, revocations, break-the-glass, sensitivity labels).
 * <ul>
 *   <li>Elasticsearch: the records, indexed into an index of this run through the real adapter
 *       ({@link SearchDocuments}, {@link ElasticsearchRecordIndex}), searched with {@link AccessPolicy#searchScope}
 *       and with its {@link Scope#forPerson} narrowing (a timeline), hit exactly the records {@code decide} permits
 *       (of that person).</li>
 *   <li>PostgreSQL row-level security, the coarse outer wall: bound as the application binds a caller,
 *       {@code meridian_app} sees every row {@code decide} permits, and nothing that no rule could admit: another
 *       institution's rows only under an active grant to the caller or their institution whose scope covers them
 *       (a head row: whatever the labels), a patient only their own person's rows.</li>
 *   <li>PostgreSQL type history ({@code JpaRecordRepository.typeHistory}): the scope's SQL predicate
 *       ({@code ScopeSql}) on its own, and together with row-level security, admits exactly the records
 *       {@code decide} permits.</li>
 * </ul>
 * A fixed list of seeds ({@code -Dmeridian.contract.seeds=1,2,3} explores others); no shrinking, but each
 * counterexample names its seed, the caller with all their facts, the records and decide's reasons, shortest first.
 */
class AccessScopeContractIT {

    private static final long[] SEEDS = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};
    private static final int RECORDS = 60;
    private static final int CALLERS = 32;
    private static final List<String> TYPES = List.of("Patient", "Observation", "Condition", "MedicationRequest",
            "Encounter", "Organization", "Practitioner", "Location", "Provenance");
    /** Each run's ids start with this (lower case, no '-': the index alias is {@code <run>-records}). */
    private static final String RUN = "contract" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    private static final AccessPolicy POLICY = new AccessPolicy();
    private static ElasticsearchClient client;
    private static ElasticsearchRecordIndex index;
    private static IndexNames names;
    private static SearchDocuments documents;
    private static EnvelopeExtractor envelopes;
    private static FhirContext fhir;

    @BeforeAll
    static void freshIndex() throws Exception {
        client = ElasticsearchClients.create(System.getProperty("meridian.test.es.url"));
        names = new IndexNames(RUN + "-records", IndexNames.records().mappingVersion());
        assertThat(names.mappingResource()).isEqualTo(IndexNames.records().mappingResource());
        IndexBootstrap.ensure(client, names);
        index = new ElasticsearchRecordIndex(client, names);
        fhir = FhirContext.forR4Cached();
        documents = new SearchDocuments(fhir);
        envelopes = new EnvelopeExtractor(fhir);
    }

    @AfterAll
    static void dropIndex() throws Exception {
        if (client != null) {
            client.indices().delete(d -> d.index(names.concreteIndex()).ignoreUnavailable(true));
            client._transport().close();
        }
    }

    static Stream<Long> seeds() {
        String given = System.getProperty("meridian.contract.seeds", "");
        return given.isBlank() ? Arrays.stream(SEEDS).boxed()
                : Arrays.stream(given.split(",")).map(String::trim).map(Long::valueOf);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void searchScopeAndRowLevelSecurityAgreeWithDecide(long seed) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        check(ScopeWorld.generate(seed, RUN + "s" + seed, now, RECORDS, CALLERS), true);
    }

    /**
     * Labels with a '|' inside their system or code (the envelope stores {@code system|code}): decide reads the
     * category after the last bar ({@code SensitiveCategory.of}); the mirror and the scope's SQL predicate must
     * withhold the same records.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("barredSeeds")
    void mirrorAndScopeSqlAgreeOnLabelsWithABarInSystemOrCode(long seed) throws Exception {
        check(barredWorld(seed), false);
    }

    /**
     * The same worlds for row-level security, with labels whose system or code holds a '|': V3's
     * {@code meridian_sensitive_code} took the second part (a label {@code urn:odd|sys|PSY} counted as not sensitive,
     * {@code v3-ActCode|HIV|x} as HIV); V14 reads the part after the last bar, as decide does.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("barredSeeds")
    void rowLevelSecurityAgreesOnLabelsWithABarInSystemOrCode(long seed) throws Exception {
        check(barredWorld(seed), true);
    }

    static Stream<Long> barredSeeds() {
        return seeds().limit(2);
    }

    private static ScopeWorld barredWorld(long seed) {
        List<String[]> labels = new ArrayList<>(ScopeWorld.BARRED_LABELS);
        labels.add(new String[] {ScopeWorld.ACT, "PSY"});
        labels.add(new String[] {ScopeWorld.ACT, "HIV"});
        return ScopeWorld.generate(seed, RUN + "b" + seed, Instant.now().truncatedTo(ChronoUnit.MILLIS), RECORDS,
                CALLERS, labels);
    }

    private static void check(ScopeWorld world, boolean rowLevelSecurity) throws Exception {
        long seed = world.seed;
        ship(world);
        if (rowLevelSecurity) {
            RecordRows.insert(world);
        }
        List<String> failures = new ArrayList<>();
        try (Connection app = RecordRows.app()) {
            RecordRows.copyWithoutRowLevelSecurity(app, world);
            for (Case c : world.cases) {
                failures.addAll(mirror(world, c));
                failures.addAll(scopeSql(world, c, app));
                if (rowLevelSecurity) {
                    failures.addAll(rowLevelSecurity(world, c, app));
                }
            }
        } finally {
            if (rowLevelSecurity) {
                RecordRows.deleteRecords(world);
            }
        }
        System.out.println("seed " + seed + ": " + world.cases.size() + " callers x " + world.records.size()
                + " records, " + world.grants.size() + " grants; decisions " + coverage(world));
        if (!failures.isEmpty()) {
            org.junit.jupiter.api.Assertions.fail("seed " + seed + " (" + world.cases.size() + " callers x "
                    + world.records.size() + " records): " + failures.size() + " counterexamples, the shortest ones:"
                    + String.join("", failures.stream().sorted(java.util.Comparator.comparingInt(String::length))
                    .limit(4).toList()));
        }
    }

    /** Indexes the world's records through the adapter, as the outbox worker ships them, and refreshes. */
    private static void ship(ScopeWorld w) throws Exception {
        List<IndexedRecord> batch = new ArrayList<>();
        for (Rec r : w.records) {
            RecordEnvelope envelope = envelopes.extract(fhir.newJsonParser().parseResource(r.json()), r.id());
            assertThat(envelope.sensitivity()).as("labels as the envelope stores them").isEqualTo(r.labels());
            batch.add(documents.toIndexed(new StoredResource(new ResourceKey(r.custodian(), r.type(), r.id()), 1,
                    r.person(), false, r.json(), w.now, envelope)));
        }
        assertThat(index.ship(batch)).as("documents refused by the index").isEmpty();
        index.refresh();
    }

    /** The mirror's hits for the caller's scope, and for its narrowing to each person, against decide. */
    private static List<String> mirror(ScopeWorld w, Case c) throws Exception {
        List<String> failures = new ArrayList<>();
        Optional<Scope> scope = POLICY.searchScope(c.caller(), c.facts(), w.tenants);
        Set<String> permitted = keys(w, r -> permits(c, r));
        compare(failures, w, c, "Elasticsearch searchScope " + scope.orElse(null), permitted, hits(scope));
        for (String person : timelinePersons(w, c)) {
            Optional<Scope> narrowed = scope.map(s -> s.forPerson(person));
            Set<String> expected = keys(w, r -> person.equals(r.person()) && permits(c, r));
            compare(failures, w, c, "Elasticsearch forPerson(" + person + ") " + narrowed.orElse(null),
                    expected, hits(narrowed));
            // the timeline's own narrowing, decided without listing the persons in care (ADR 0020)
            Optional<Scope> direct = POLICY.searchScopeForPerson(c.caller(), c.facts(), w.tenants, person);
            compare(failures, w, c, "Elasticsearch searchScopeForPerson(" + person + ") " + direct.orElse(null),
                    expected, hits(direct));
        }
        return failures;
    }

    /** Three persons per caller, in turn (all of them over the callers), for the timeline narrowing. */
    private static List<String> timelinePersons(ScopeWorld w, Case c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(3, w.persons.size()); i++) {
            out.add(w.persons.get((c.n() * 3 + i) % w.persons.size()));
        }
        return out;
    }

    private static Set<String> hits(Optional<Scope> scope) throws Exception {
        if (scope.isEmpty()) {
            return Set.of(); // the query is not sent
        }
        SearchResult result = index.search(new RecordQuery(scope.get(), TYPES, List.of(), List.of(),
                RecordQuery.MAX_COUNT, List.of(), List.of(), false, false));
        assertThat(result.total()).isLessThan(RecordQuery.MAX_COUNT);
        return result.hits().stream().map(h -> h.tenant() + "/" + h.type() + "/" + h.id()).collect(Collectors.toSet());
    }

    /** The scope's SQL predicate on its own (no RLS): exactly the records decide permits. */
    private static List<String> scopeSql(ScopeWorld w, Case c, Connection app) throws Exception {
        List<String> failures = new ArrayList<>();
        Optional<Scope> scope = POLICY.searchScope(c.caller(), c.facts(), w.tenants);
        if (scope.isPresent()) {
            compare(failures, w, c, "ScopeSql " + scope.get(), keys(w, r -> permits(c, r)),
                    RecordRows.admittedByScopeSql(app, w, c.caller(), scope.get()));
        }
        return failures;
    }

    /** Row-level security: permitted ⊆ visible ⊆ what some rule could admit, for record versions and heads. */
    private static List<String> rowLevelSecurity(ScopeWorld w, Case c, Connection app) throws Exception {
        List<String> failures = new ArrayList<>();
        Set<String> permitted = keys(w, r -> permits(c, r));
        for (String table : List.of("resource_version", "resource_head")) {
            Set<String> visible = RecordRows.visible(app, w, c.caller(), table);
            Set<String> hidden = minus(permitted, visible);
            if (!hidden.isEmpty()) {
                failures.add(report(w, c, "RLS " + table + " hides records decide permits", hidden));
            }
            boolean head = table.equals("resource_head");
            Set<String> leaked = minus(visible, keys(w, r -> admissible(c, r, head)));
            if (!leaked.isEmpty()) {
                failures.add(report(w, c, "RLS " + table + " shows records no rule admits", leaked));
            }
        }
        Optional<Scope> scope = POLICY.searchScope(c.caller(), c.facts(), w.tenants);
        if (scope.isPresent()) {
            Set<String> history = RecordRows.visibleInHistory(app, w, c.caller(), scope.get());
            compare(failures, w, c, "PostgreSQL history (RLS and ScopeSql) " + scope.get(), permitted, history);
        }
        return failures;
    }

    /**
     * The outer wall: a patient (bound to their person only) sees their person's rows; anyone else their own
     * institution's rows and, elsewhere, rows of a person with an active grant to them or their institution that
     * covers the row's labels (a head row carries no labels: the grant's existence suffices).
     */
    private static boolean admissible(Case c, Rec r, boolean head) {
        Caller caller = c.caller();
        if (caller.hasRole("patient")) {
            return r.person() != null && caller.personId().filter(r.person()::equals).isPresent();
        }
        if (caller.tenant().filter(r.custodian()::equals).isPresent()) {
            return true;
        }
        String institution = caller.tenant().map(t -> t.value()).orElse(null);
        String practitioner = caller.practitionerId().orElse(null);
        return r.person() != null && c.facts().grants().stream().anyMatch(g -> g.personId().equals(r.person())
                && toCaller(g, practitioner, institution) && g.isActiveAt(c.facts().now())
                && (head || g.scope().admits(r.labels())));
    }

    private static boolean toCaller(AccessGrant g, String practitioner, String institution) {
        return g.grantee().practitionerId().filter(p -> p.equals(practitioner)).isPresent()
                || g.grantee().institution().filter(t -> t.value().equals(institution)).isPresent();
    }

    /** How often each rule decided (permits by way, refusals by code): shows the generators reach every rule. */
    private static java.util.Map<String, Long> coverage(ScopeWorld w) {
        return w.cases.stream().flatMap(c -> w.records.stream().map(r -> {
            Decision d = POLICY.decide(c.caller(), c.facts(), r.facts());
            if (!d.permitted()) {
                return d.reason().substring(0, 8);
            }
            boolean own = c.caller().tenant().filter(r.custodian()::equals).isPresent();
            return d.purpose() + (d.purpose().equals("TREAT") ? own ? r.person() == null ? "-unlinked" : "-careteam"
                    : "-grant" : "");
        })).collect(Collectors.groupingBy(k -> k, java.util.TreeMap::new, Collectors.counting()));
    }

    private static boolean permits(Case c, Rec r) {
        return POLICY.decide(c.caller(), c.facts(), r.facts()).permitted();
    }

    private static Set<String> keys(ScopeWorld w, Predicate<Rec> which) {
        return w.records.stream().filter(which).map(Rec::key).collect(Collectors.toSet());
    }

    private static void compare(List<String> failures, ScopeWorld w, Case c, String what, Set<String> expected,
                                Set<String> actual) {
        Set<String> missing = minus(expected, actual);
        Set<String> extra = minus(actual, expected);
        if (!missing.isEmpty()) {
            failures.add(report(w, c, what + " misses records decide permits", missing));
        }
        if (!extra.isEmpty()) {
            failures.add(report(w, c, what + " hits records decide refuses", extra));
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** A counterexample: the seed, the caller with all their facts, each record with decide's answer. */
    private static String report(ScopeWorld w, Case c, String what, Set<String> keys) {
        String records = w.records.stream().filter(r -> keys.contains(r.key())).map(r -> {
            Decision d = POLICY.decide(c.caller(), c.facts(), r.facts());
            return "\n      " + r + " -> decide " + d;
        }).collect(Collectors.joining());
        return "\n  seed " + w.seed + ": " + what + "\n    " + c + records;
    }
}
