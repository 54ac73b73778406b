package health.meridian.web.it.access;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.AccessFacts;
import health.meridian.web.security.Caller;
import health.meridian.web.security.RecordFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One generated world for {@link AccessScopeContractIT}, fully determined by its seed: institutions, persons,
 * practitioners (each with a home institution), records held by an institution about a person or about nobody, with
 * security labels (sensitive categories of {@code SensitiveCategory.CODES} and other labels), patients' grants (to a
 * practitioner or an institution; scope all, exclude-sensitive or categories; past, running, future, ending exactly
 * now, revoked), and callers (every role, some with two) with their care-team and break-the-glass persons.
 * All ids start with the world's prefix, so worlds of other runs and other tests' data never mix in.
 */
final class ScopeWorld {

    static final String ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final List<String> SENSITIVE = List.of("PSY", "HIV", "ETH", "SUD", "STD");
    /** Labels as the envelope stores them ({@code system|code}): sensitive, not sensitive, other systems. */
    private static final List<String[]> LABELS = List.of(new String[] {ACT, "PSY"}, new String[] {ACT, "HIV"},
            new String[] {ACT, "ETH"}, new String[] {ACT, "SUD"}, new String[] {ACT, "STD"},
            new String[] {ACT, "SICKLE"}, new String[] {ACT, "psy"}, new String[] {ACT, "TBOO"},
            new String[] {"http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R"},
            new String[] {"http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N"},
            new String[] {"http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST"},
            new String[] {"http://example.org/local-labels", "HIV"}, new String[] {null, "SUD"});
    /**
     * Labels whose system or code contains the '|' that separates them in the envelope: the three places split
     * {@code system|code} differently (last bar in Java, second part in SQL, first bar in the mirror's document).
     */
    static final List<String[]> BARRED_LABELS = List.of(new String[] {"urn:odd|sys", "PSY"},
            new String[] {ACT, "HIV|x"});
    private static final List<String> PERSON_TYPES = List.of("Patient", "Observation", "Condition",
            "MedicationRequest", "Encounter");
    private static final List<String> UNLINKED_TYPES = List.of("Organization", "Practitioner", "Location",
            "Observation", "Provenance");
    private static final List<List<String>> ROLE_SETS = List.of(List.of("clinician"), List.of("clinician"),
            List.of("clinician"), List.of("nurse"), List.of("nurse"), List.of("patient"), List.of("patient"),
            List.of("tenant-admin"), List.of("researcher"), List.of("platform-admin"), List.of("clinician", "nurse"),
            List.of("clinician", "tenant-admin"), List.of("patient", "clinician"));

    /** A record: custodian, type, id, person (null: about nobody), security labels as pairs (system, code). */
    record Rec(TenantId custodian, String type, String id, String person, List<String[]> codings) {

        List<String> labels() {
            return codings.stream().map(c -> c[0] + "|" + c[1]).toList();
        }

        RecordFacts facts() {
            return new RecordFacts(custodian, type, person, labels());
        }

        String key() {
            return custodian.value() + "/" + type + "/" + id;
        }

        /** A minimal FHIR resource carrying the labels as meta.security codings. */
        String json() {
            StringBuilder security = new StringBuilder();
            for (String[] c : codings) {
                security.append(security.isEmpty() ? "{" : ",{").append(c[0] == null ? ""
                        : "\"system\":" + quote(c[0]) + ",").append("\"code\":").append(quote(c[1])).append('}');
            }
            String body = switch (type) {
                case "Observation" -> ",\"status\":\"final\",\"code\":{\"text\":\"contract\"}";
                case "MedicationRequest" -> ",\"status\":\"active\",\"intent\":\"order\"";
                case "Encounter" -> ",\"status\":\"finished\"";
                case "Organization", "Location" -> ",\"name\":\"contract\"";
                case "Provenance" -> ",\"recorded\":\"2024-01-01T00:00:00Z\"";
                default -> "";
            };
            return "{\"resourceType\":" + quote(type) + ",\"id\":" + quote(id) + ",\"meta\":{\"security\":["
                    + security + "]}" + body + "}";
        }

        @Override
        public String toString() {
            return key() + " person=" + person + " labels=" + labels();
        }
    }

    /** A caller and what the policy knows about their relationships. */
    record Case(int n, Caller caller, AccessFacts facts) {

        @Override
        public String toString() {
            String grants = facts.grants().stream().map(ScopeWorld::describe).collect(Collectors.joining("; "));
            return "caller#" + n + " roles=" + caller.roles() + " tenant=" + caller.tenant().map(TenantId::value)
                    .orElse("-") + " practitioner=" + caller.practitionerId().orElse("-") + " person="
                    + caller.personId().orElse("-") + " careTeam=" + facts.care().searchPersons() + " breakGlass="
                    + facts.breakGlassPersons() + " now=" + facts.now() + " grants=[" + grants + "]";
        }
    }

    final long seed;
    final String prefix;
    final Instant now;
    final List<TenantId> tenants = new ArrayList<>();
    final List<String> persons = new ArrayList<>();
    final List<String> practitioners = new ArrayList<>();
    final List<TenantId> practitionerHome = new ArrayList<>();
    final List<Rec> records = new ArrayList<>();
    final List<AccessGrant> grants = new ArrayList<>();
    final List<Case> cases = new ArrayList<>();
    private final Random random;
    private final List<String[]> labelPool;

    private ScopeWorld(long seed, String prefix, Instant now, List<String[]> labelPool) {
        this.seed = seed;
        this.prefix = prefix;
        this.now = now;
        this.random = new Random(seed);
        this.labelPool = labelPool;
    }

    static ScopeWorld generate(long seed, String prefix, Instant now, int recordCount, int callerCount) {
        return generate(seed, prefix, now, recordCount, callerCount, LABELS);
    }

    static ScopeWorld generate(long seed, String prefix, Instant now, int recordCount, int callerCount,
                               List<String[]> labelPool) {
        ScopeWorld w = new ScopeWorld(seed, prefix, now, labelPool);
        w.people();
        for (int i = 0; i < recordCount; i++) {
            w.records.add(w.record(i));
        }
        for (int i = 0; i < 6 + w.random.nextInt(10); i++) {
            w.grants.add(w.grant());
        }
        for (int i = 0; i < callerCount; i++) {
            w.cases.add(w.caller(i));
        }
        return w;
    }

    private void people() {
        int tenantCount = 2 + random.nextInt(3);
        for (int i = 0; i < tenantCount; i++) {
            tenants.add(TenantId.of(prefix + "-t" + i));
        }
        for (int i = 0; i < 3 + random.nextInt(5); i++) {
            persons.add(prefix + "-p" + i);
        }
        for (int i = 0; i < 2 * tenantCount; i++) {
            practitioners.add(prefix + "-pr" + i);
            practitionerHome.add(tenants.get(i % tenantCount));
        }
    }

    private Rec record(int i) {
        TenantId custodian = pick(tenants);
        boolean aboutNobody = random.nextInt(5) == 0;
        String person = aboutNobody ? null : pick(persons);
        String type = pick(aboutNobody ? UNLINKED_TYPES : PERSON_TYPES);
        List<String[]> codings = new ArrayList<>();
        int labels = random.nextInt(10) < 4 ? 0 : 1 + random.nextInt(3);
        for (int l = 0; l < labels; l++) {
            String[] label = pick(labelPool);
            if (codings.stream().noneMatch(c -> Arrays.equals(c, label))) {
                codings.add(label);
            }
        }
        return new Rec(custodian, type, prefix + "-r" + i, person, codings);
    }

    private AccessGrant grant() {
        Grantee grantee = random.nextBoolean() ? Grantee.practitioner(pick(practitioners))
                : Grantee.institution(pick(tenants));
        AccessGrant grant = AccessGrant.grant(pick(persons), grantee, scope(), "TREAT", start(), null);
        Instant start = grant.startsAt();
        Instant end = switch (random.nextInt(5)) {
            case 0 -> now.isAfter(start) ? now : null; // ends exactly now: no longer active
            case 1 -> start.plus(Duration.ofDays(1 + random.nextInt(20))); // may lie in the past or the future
            case 2 -> start.plus(Duration.ofDays(400));
            default -> null;
        };
        if (end != null) {
            grant = AccessGrant.grant(grant.personId(), grantee, grant.scope(), "TREAT", start, end);
        }
        if (random.nextInt(5) == 0) {
            grant.revoke(now.minus(Duration.ofHours(1)));
        }
        return grant;
    }

    private GrantScope scope() {
        return switch (random.nextInt(3)) {
            case 0 -> new GrantScope(GrantScope.ALL, Set.of());
            case 1 -> new GrantScope(GrantScope.EXCLUDE_SENSITIVE, Set.of());
            default -> {
                Set<String> categories = new LinkedHashSet<>();
                for (int i = 0; i < 1 + random.nextInt(3); i++) {
                    categories.add(pick(SENSITIVE));
                }
                yield new GrantScope(GrantScope.CATEGORIES, categories);
            }
        };
    }

    private Instant start() {
        return switch (random.nextInt(6)) {
            case 0 -> now; // starts exactly now: active
            case 1 -> now.plus(Duration.ofDays(1 + random.nextInt(10))); // not yet
            default -> now.minus(Duration.ofDays(1 + random.nextInt(30)));
        };
    }

    private Case caller(int n) {
        List<String> roles = pick(ROLE_SETS);
        boolean staff = roles.stream().anyMatch(r -> !r.equals("patient") && !r.equals("platform-admin"));
        boolean care = roles.contains("clinician") || roles.contains("nurse");
        Optional<TenantId> tenant = staff && random.nextInt(20) > 0 || random.nextInt(10) == 0
                ? Optional.of(pick(tenants)) : Optional.empty();
        Optional<String> practitioner = Optional.empty();
        if (care && random.nextInt(10) > 0) {
            List<String> home = new ArrayList<>();
            for (int i = 0; i < practitioners.size(); i++) {
                if (tenant.isPresent() && practitionerHome.get(i).equals(tenant.get())) {
                    home.add(practitioners.get(i));
                }
            }
            practitioner = Optional.of(pick(home.isEmpty() || random.nextInt(5) == 0 ? practitioners : home));
        }
        boolean patient = roles.contains("patient");
        Optional<String> person = patient && random.nextInt(10) > 0 || random.nextInt(10) == 0
                ? Optional.of(pick(persons)) : Optional.empty();
        Caller caller = new Caller("sub-" + prefix + "-" + n, "user" + n, Set.copyOf(roles), tenant, practitioner,
                person);
        Set<String> careTeam = persons.stream().filter(p -> random.nextInt(10) < 3).collect(Collectors.toSet());
        Set<String> glass = persons.stream().filter(p -> random.nextInt(10) < 2).collect(Collectors.toSet());
        // Every grant of the world: the policy itself must pick those made to the caller or their institution.
        return new Case(n, caller, new AccessFacts(careTeam, grants, glass, now));
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static String jsonArray(List<String> values) {
        return values.stream().map(ScopeWorld::quote).collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String describe(AccessGrant g) {
        return g.personId() + "->" + g.grantee().practitionerId().orElseGet(() -> g.grantee().institution()
                .orElseThrow().value()) + " " + g.scope().kind() + (g.scope().categories().isEmpty() ? ""
                : g.scope().categories().stream().sorted().toList()) + " " + g.startsAt() + ".." + g.endsAt()
                .map(Instant::toString).orElse("") + g.revokedAt().map(r -> " revoked").orElse("");
    }
}
