package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.access.SensitiveCategory;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.RecordQuery.Shared;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final TenantId AMSTEL = TenantId.of("nl-amstel");
    private static final TenantId SPREE = TenantId.of("de-spree");
    private static final String PSY = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";

    private final AccessPolicy policy = new AccessPolicy();

    private static Caller caller(String role, String tenant) {
        return new Caller("sub", "user", Set.of(role), Optional.ofNullable(tenant).map(TenantId::of),
                Optional.of("prac-1"), Optional.empty());
    }

    private static Caller patient(String person) {
        return new Caller("sub", "anna", Set.of("patient"), Optional.of(AMSTEL), Optional.empty(),
                Optional.of(person));
    }

    private static RecordFacts record(TenantId custodian, String person, String... labels) {
        return new RecordFacts(custodian, "Observation", person, List.of(labels));
    }

    private static AccessFacts facts(Set<String> inCare, List<AccessGrant> grants, Set<String> glass) {
        return new AccessFacts(inCare, grants, glass, NOW);
    }

    private static AccessGrant grantTo(String practitioner, GrantScope scope, Instant end) {
        return AccessGrant.grant("anna", Grantee.practitioner(practitioner), scope, "TREAT", NOW.minusSeconds(60),
                end);
    }

    @Test
    void aKnownPersonIsLinkedOnlyWhereRegisteredOrWithTheirActiveConsent() {
        Caller mueller = caller("clinician", "de-spree");
        AccessFacts none = facts(Set.of(), List.of(), Set.of());
        assertThat(policy.decidePersonLink(mueller, none, "anna", true, false).permitted()).as("new person").isTrue();
        assertThat(policy.decidePersonLink(mueller, none, "anna", false, true).permitted()).as("registered here")
                .isTrue();
        Decision refused = policy.decidePersonLink(mueller, none, "anna", false, false);
        assertThat(refused.permitted()).isFalse();
        assertThat(refused.reason()).startsWith("EHR-0450");

        AccessGrant toSpree = AccessGrant.grant("anna", Grantee.institution(SPREE), new GrantScope("exclude-sensitive", Set.of()),
                "TREAT", NOW.minusSeconds(60), null);
        assertThat(policy.decidePersonLink(mueller, facts(Set.of(), List.of(toSpree), Set.of()), "anna", false, false)
                .permitted()).as("consent to the institution").isTrue();
        assertThat(policy.decidePersonLink(mueller, facts(Set.of(), List.of(grantTo("prac-1",
                new GrantScope("exclude-sensitive", Set.of()), null)), Set.of()), "anna", false, false).permitted()).as("consent to the registrant")
                .isTrue();
        assertThat(policy.decidePersonLink(caller("clinician", "nl-amstel"), facts(Set.of(), List.of(toSpree),
                Set.of()), "anna", false, false).permitted()).as("a grant to someone else").isFalse();
        assertThat(policy.decidePersonLink(mueller, facts(Set.of(), List.of(toSpree), Set.of()), "bram", false,
                false).permitted()).as("another person's grant").isFalse();
        toSpree.revoke(NOW.minusSeconds(1));
        assertThat(policy.decidePersonLink(mueller, facts(Set.of(), List.of(toSpree), Set.of()), "anna", false, false)
                .permitted()).as("revoked").isFalse();
    }

    @Test
    void clinicianReadsAndWritesOnlyInOwnInstitution() {
        Caller c = caller("clinician", "nl-amstel");
        assertThat(policy.readableTenants(c)).containsExactly(AMSTEL);
        assertThat(policy.writeTenant(c, "Observation")).isEqualTo(AMSTEL);
    }

    @Test
    void deniesByDefault() {
        assertThat(policy.readableTenants(caller("researcher", "nl-amstel"))).isEmpty();
        assertThat(policy.readableTenants(caller("tenant-admin", "nl-amstel"))).isEmpty();
        assertThat(policy.readableTenants(caller("platform-admin", null))).isEmpty();
        assertThat(policy.readableTenants(caller("clinician", null))).isEmpty();
        assertThatThrownBy(() -> policy.writeTenant(caller("researcher", "nl-amstel"), "Patient"))
                .hasMessageStartingWith("EHR-0302");
        assertThatThrownBy(() -> policy.writeTenant(caller("tenant-admin", "nl-amstel"), "Observation"))
                .hasMessageStartingWith("EHR-0302");
    }

    @Test
    void writeWithoutInstitutionInTokenIsRefusedNotDefaulted() {
        assertThatThrownBy(() -> policy.writeTenant(caller("clinician", null), "Patient"))
                .hasMessageStartingWith("EHR-0301");
    }

    @Test
    void careTeamDecidesWithinTheInstitution() {
        Caller c = caller("nurse", "nl-amstel");
        assertThat(policy.decide(c, facts(Set.of("anna"), List.of(), Set.of()), record(AMSTEL, "anna")).permitted())
                .isTrue();
        assertThat(policy.decide(c, facts(Set.of("bram"), List.of(), Set.of()), record(AMSTEL, "anna")).reason())
                .startsWith("EHR-0312");
        assertThat(policy.decide(c, facts(Set.of(), List.of(), Set.of()), record(AMSTEL, null)).permitted())
                .as("reference data about no person").isTrue();
    }

    @Test
    void breakTheGlassIsForCliniciansOnly() {
        AccessFacts glass = facts(Set.of(), List.of(), Set.of("anna"));
        Decision d = policy.decide(caller("clinician", "nl-amstel"), glass, record(AMSTEL, "anna"));
        assertThat(d.permitted()).isTrue();
        assertThat(d.purpose()).isEqualTo("ETREAT");
        assertThat(policy.decide(caller("nurse", "nl-amstel"), glass, record(AMSTEL, "anna")).permitted()).isFalse();
        assertThatThrownBy(() -> policy.requireBreakGlass(caller("nurse", "nl-amstel")))
                .hasMessageStartingWith("EHR-0320");
    }

    @Test
    void anotherInstitutionsRecordsOnlyUnderAnActiveGrantThatCoversTheirLabels() {
        Caller c = caller("clinician", "de-spree");
        AccessFacts none = facts(Set.of("anna"), List.of(), Set.of("anna"));
        assertThat(policy.decide(c, none, record(AMSTEL, "anna")).reason()).startsWith("EHR-0313");
        AccessFacts granted = facts(Set.of(), List.of(grantTo("prac-1", new GrantScope("exclude-sensitive",
                Set.of()), null)), Set.of());
        assertThat(policy.decide(c, granted, record(AMSTEL, "anna")).permitted()).isTrue();
        assertThat(policy.decide(c, granted, record(AMSTEL, "anna", PSY)).permitted()).isFalse();
        assertThat(policy.decide(c, granted, record(AMSTEL, "bram")).permitted()).isFalse();
        AccessFacts expired = facts(Set.of(), List.of(grantTo("prac-1", new GrantScope("all", Set.of()),
                NOW.minusSeconds(1))), Set.of());
        assertThat(policy.decide(c, expired, record(AMSTEL, "anna")).permitted()).isFalse();
        AccessGrant revoked = grantTo("prac-1", new GrantScope("all", Set.of()), null);
        revoked.revoke(NOW.minusSeconds(1));
        assertThat(policy.decide(c, facts(Set.of(), List.of(revoked), Set.of()), record(AMSTEL, "anna"))
                .permitted()).isFalse();
    }

    @Test
    void patientsSeeTheirOwnRecordEverywhereAndNothingElse() {
        AccessFacts none = AccessFacts.none(NOW);
        assertThat(policy.decide(patient("anna"), none, record(SPREE, "anna")).purpose()).isEqualTo("PATRQT");
        assertThat(policy.decide(patient("anna"), none, record(AMSTEL, "bram")).permitted()).isFalse();
        assertThat(policy.decide(patient("anna"), none, record(AMSTEL, null)).permitted()).isFalse();
    }

    @Test
    void adminsResearchersAndPlatformReadNoClinicalContent() {
        AccessFacts all = facts(Set.of("anna"), List.of(), Set.of("anna"));
        for (Caller c : List.of(caller("tenant-admin", "nl-amstel"), caller("researcher", "nl-amstel"),
                caller("platform-admin", null))) {
            assertThat(policy.decide(c, all, record(AMSTEL, "anna")).reason()).startsWith("EHR-0310");
        }
    }

    @Test
    void searchScopeDescribesTheSameRules() {
        AccessGrant active = grantTo("prac-1", new GrantScope("categories", Set.of("PSY")), null);
        AccessGrant revoked = AccessGrant.grant("bram", Grantee.institution(SPREE), new GrantScope("all", Set.of()),
                "TREAT", NOW.minusSeconds(60), null);
        revoked.revoke(NOW.minusSeconds(1));
        AccessGrant toOther = grantTo("prac-2", new GrantScope("all", Set.of()), null);
        List<TenantId> all = List.of(AMSTEL, SPREE);
        Scope s = policy.searchScope(caller("clinician", "de-spree"),
                facts(Set.of("carl"), List.of(active, revoked, toOther), Set.of("dora")), all).orElseThrow();
        assertThat(s.tenants()).containsExactly(SPREE);
        assertThat(s.persons()).containsExactlyInAnyOrder("carl", "dora");
        assertThat(s.includeUnlinked()).isTrue();
        assertThat(s.shared()).containsExactly(new Shared("anna",
                SensitiveCategory.CODES.stream().filter(c -> !"PSY".equals(c)).sorted().toList()));
        assertThat(policy.searchScope(caller("nurse", "de-spree"), facts(Set.of(), List.of(), Set.of("dora")), all)
                .orElseThrow().persons()).as("nurses do not break the glass").containsExactly(Scope.NOBODY);
        Scope own = policy.searchScope(patient("anna"), AccessFacts.none(NOW), all).orElseThrow();
        assertThat(own.tenants()).containsExactly(AMSTEL, SPREE);
        assertThat(own.persons()).containsExactly("anna");
        assertThat(own.includeUnlinked()).isFalse();
        assertThat(policy.searchScope(caller("tenant-admin", "nl-amstel"), facts(Set.of("anna"), List.of(),
                Set.of()), all)).isEmpty();
    }

    @Test
    void readsAndPersonScopesAskAboutOnePersonNeverListEveryoneInCare() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger listed = new java.util.concurrent.atomic.AtomicInteger();
        CareRelations care = new CareRelations(persons -> {
            lookups.incrementAndGet();
            return persons.contains("carl") ? Set.of("carl") : Set.of();
        }, () -> {
            listed.incrementAndGet();
            return List.of("carl");
        });
        AccessFacts f = new AccessFacts(care, List.of(), Set.of(), Set.of(), NOW);
        Caller c = caller("clinician", "de-spree");
        assertThat(policy.decide(c, f, record(SPREE, "carl")).permitted()).isTrue();
        assertThat(policy.decide(c, f, record(SPREE, "carl")).permitted()).isTrue();
        assertThat(policy.decide(c, f, record(SPREE, "erik")).permitted()).isFalse();
        assertThat(lookups).as("one lookup per person, remembered").hasValue(2);
        List<TenantId> all = List.of(AMSTEL, SPREE);
        assertThat(policy.searchScopeForPerson(c, f, all, "carl").orElseThrow().persons()).containsExactly("carl");
        assertThat(policy.searchScopeForPerson(c, f, all, "erik").orElseThrow().persons())
                .containsExactly(Scope.NOBODY);
        assertThat(listed).as("no decision about one person lists the persons in care").hasValue(0);
    }

    @Test
    void aSearchHitOfSomeoneNoLongerInCareIsNotConfirmedThoughTheCachedListStillNamesThem() {
        // the list a search ran under still names erik (taken off the team a moment ago); the lookup does not
        CareRelations care = new CareRelations(persons -> persons.contains("carl") ? Set.of("carl") : Set.of(),
                () -> List.of("carl", "erik"));
        AccessFacts f = new AccessFacts(care, List.of(), Set.of(), Set.of(), NOW);
        Caller c = caller("clinician", "de-spree");
        assertThat(policy.searchScope(c, f, List.of(SPREE)).orElseThrow().persons()).contains("erik");
        assertThat(policy.confirmsHit(c, f, "de-spree", "carl")).isTrue();
        assertThat(policy.confirmsHit(c, f, "de-spree", "erik")).isFalse();
        assertThat(policy.confirmsHit(c, f, "de-spree", null)).as("records about no person").isTrue();
        AccessFacts glass = new AccessFacts(care, List.of(), Set.of("erik"), Set.of(), NOW);
        assertThat(policy.confirmsHit(c, glass, "de-spree", "erik")).as("break-the-glass").isTrue();
        assertThat(policy.confirmsHit(caller("nurse", "de-spree"), glass, "de-spree", "erik")).isFalse();
    }

    @Test
    void writingAboutAPatientNeedsACareRelationshipNotAGrant() {
        Caller clinician = caller("clinician", "nl-amstel");
        AccessFacts inCare = facts(Set.of("anna"), List.of(), Set.of());
        AccessFacts grantOnly = facts(Set.of(), List.of(grantTo("prac-1", new GrantScope("all", Set.of()), NOW.plusSeconds(3600))),
                Set.of());
        AccessFacts glass = facts(Set.of(), List.of(), Set.of("anna"));
        assertThat(policy.decideWrite(clinician, inCare, "Observation", "anna").permitted()).isTrue();
        assertThat(policy.decideWrite(clinician, grantOnly, "Observation", "anna").permitted()).isFalse();
        assertThat(policy.decideWrite(clinician, facts(Set.of("bram"), List.of(), Set.of()), "Observation", "anna")
                .permitted()).isFalse();
        assertThat(policy.decideWrite(clinician, glass, "Observation", "anna").purpose()).isEqualTo("ETREAT");
        assertThat(policy.decideWrite(caller("nurse", "nl-amstel"), glass, "Observation", "anna").permitted())
                .as("nurses do not break the glass").isFalse();
        assertThat(policy.decideWrite(clinician, facts(Set.of(), List.of(), Set.of()), "Practitioner", null)
                .permitted()).isTrue();
        Caller admin = caller("tenant-admin", "nl-amstel");
        assertThat(policy.decideWrite(admin, inCare, "Patient", "anna").permitted()).isTrue();
        assertThat(policy.decideWrite(admin, inCare, "Observation", "anna").permitted()).isFalse();
        assertThat(policy.decideWrite(caller("researcher", "nl-amstel"), inCare, "Observation", "anna").permitted())
                .isFalse();
    }

    @Test
    void aRedeemedShareCodeAdmitsOnlyTheSummaryTypesWithoutSensitiveLabels() {
        AccessFacts shared = new AccessFacts(Set.of(), List.of(), Set.of(), Set.of("anna"), NOW);
        Caller mueller = caller("clinician", "de-spree");
        assertThat(policy.decideForSummary(mueller, shared, record(AMSTEL, "anna")).permitted()).isTrue();
        assertThat(policy.decide(mueller, shared, record(AMSTEL, "anna")).permitted())
                .as("outside the summary a share code admits nothing").isFalse();
        assertThat(policy.decideForSummary(mueller, shared, record(AMSTEL, "anna", PSY)).permitted()).isFalse();
        assertThat(policy.decideForSummary(mueller, shared, new RecordFacts(AMSTEL, "Encounter", "anna", List.of()))
                .permitted()).isFalse();
        assertThat(policy.decideForSummary(mueller, shared, record(AMSTEL, "bram")).permitted()).isFalse();
        assertThat(policy.decideForSummary(caller("tenant-admin", "de-spree"), shared, record(AMSTEL, "anna"))
                .permitted()).isFalse();
    }

    @Test
    void onlyPatientsUseThePortalAndOnlyCareProfessionalsRedeemShareCodes() {
        assertThat(policy.requirePatient(patient("anna"))).isEqualTo("anna");
        assertThatThrownBy(() -> policy.requirePatient(caller("clinician", "nl-amstel")))
                .hasMessageStartingWith("EHR-0740");
        assertThatThrownBy(() -> policy.requireShareCodeRedeemer(patient("anna"))).hasMessageStartingWith("EHR-0746");
        assertThatThrownBy(() -> policy.requireShareCodeRedeemer(caller("researcher", "nl-amstel")))
                .hasMessageStartingWith("EHR-0746");
        policy.requireShareCodeRedeemer(caller("nurse", "nl-amstel"));
    }

    @Test
    void aGrantIsReadByItsPatientAndItsGranteeOnly() {
        AccessGrant toPractitioner = grantTo("prac-1", new GrantScope("all", Set.of()), null);
        AccessGrant toSpree = AccessGrant.grant("anna", Grantee.institution(SPREE), new GrantScope("all", Set.of()),
                "TREAT", NOW, null);
        assertThat(policy.decideGrantRead(patient("anna"), toPractitioner).permitted()).isTrue();
        assertThat(policy.decideGrantRead(patient("bram"), toPractitioner).reason()).startsWith("EHR-0660");
        assertThat(policy.decideGrantRead(caller("clinician", "nl-amstel"), toPractitioner).purpose())
                .isEqualTo("TREAT");
        assertThat(policy.decideGrantRead(caller("nurse", "de-spree"), toSpree).permitted()).isTrue();
        assertThat(policy.decideGrantRead(caller("clinician", "nl-amstel"), toSpree).reason())
                .startsWith("EHR-0662");
        assertThat(policy.decideGrantRead(caller("tenant-admin", "de-spree"), toSpree).reason())
                .startsWith("EHR-0661");
    }

    @Test
    void onlyATenantAdminManagesCareTeamsAndReviewsBreakGlassOfTheOwnInstitution() {
        assertThat(policy.careTeamAdminTenant(caller("tenant-admin", "de-spree"))).isEqualTo(SPREE);
        assertThat(policy.breakGlassReviewTenant(caller("tenant-admin", "nl-amstel"))).isEqualTo(AMSTEL);
        for (Caller other : List.of(caller("clinician", "nl-amstel"), caller("nurse", "nl-amstel"),
                caller("platform-admin", null), caller("researcher", "nl-amstel"), caller("tenant-admin", null),
                patient("person-anna"))) {
            assertThatThrownBy(() -> policy.careTeamAdminTenant(other)).hasMessageStartingWith("EHR-0626");
            assertThatThrownBy(() -> policy.breakGlassReviewTenant(other)).hasMessageStartingWith("EHR-0657");
        }
    }

    /**
     * In a summary, a record about no patient of a directory type is admitted when a permitted entry of the same
     * institution refers to it — and only then: not from another institution's entry, not with a label, not a
     * patient's record, not past a scope that leaves the type out.
     */
    @Test
    void aSummaryCarriesTheDirectoryRecordsItsPermittedEntriesReferTo() {
        Caller anna = patient("anna");
        AccessFacts none = facts(Set.of(), List.of(), Set.of());
        RecordFacts prescription = new RecordFacts(AMSTEL, "MedicationRequest", "anna", List.of());
        RecordFacts medication = new RecordFacts(AMSTEL, "Medication", null, List.of());
        assertThat(policy.decide(anna, none, medication).permitted()).as("outside a summary").isFalse();
        assertThat(policy.decideReferencedInSummary(anna, none, prescription, medication).purpose())
                .isEqualTo("PATRQT");
        assertThat(policy.decideReferencedInSummary(anna, none, prescription,
                new RecordFacts(SPREE, "Medication", null, List.of())).permitted()).as("another custodian").isFalse();
        assertThat(policy.decideReferencedInSummary(anna, none, prescription,
                new RecordFacts(AMSTEL, "Medication", null, List.of(PSY))).permitted()).as("labelled").isFalse();
        assertThat(policy.decideReferencedInSummary(anna, none, prescription,
                new RecordFacts(AMSTEL, "Observation", "bram", List.of())).permitted()).as("a patient's").isFalse();
        assertThat(policy.decideReferencedInSummary(anna, none, prescription,
                new RecordFacts(AMSTEL, "Basic", null, List.of())).permitted()).as("not a directory type").isFalse();
        assertThat(policy.decideReferencedInSummary(anna, none,
                new RecordFacts(AMSTEL, "MedicationRequest", "bram", List.of()), medication).permitted())
                .as("from an entry the caller may not read").isFalse();
        Caller narrow = new Caller("sub", "anna", Set.of("patient"), Optional.of(AMSTEL), Optional.empty(),
                Optional.of("anna"), SmartScopes.parse("patient/MedicationRequest.rs"));
        assertThat(policy.decideReferencedInSummary(narrow, none, prescription, medication).permitted())
                .as("a scope without Medication").isFalse();
    }

    /** ADR 0033: the outside-records hint — the one bit, only where everything else admits. */
    @Test
    void theOutsideRecordsHintIsShownOnlyToATreatingClinicianWithoutAGrantWhenThePatientOptedIn() {
        Caller jansen = caller("clinician", "nl-amstel");
        RecordFacts annaHere = new RecordFacts(AMSTEL, "Patient", "anna", List.of());
        AccessFacts inCare = facts(Set.of("anna"), List.of(), Set.of());
        java.util.List<String> asked = new java.util.ArrayList<>();
        java.util.function.BiPredicate<String, TenantId> optedInElsewhere = (p, t) -> asked.add(p + "@" + t);
        java.util.function.BiPredicate<String, TenantId> notOptedIn = (p, t) -> false;

        assertThat(policy.decideOutsideRecordsHint(jansen, inCare, annaHere, optedInElsewhere)).isTrue();
        assertThat(asked).containsExactly("anna@nl-amstel");
        assertThat(policy.decideOutsideRecordsHint(jansen, inCare, annaHere, notOptedIn))
                .as("no opt-in, or nothing elsewhere").isFalse();

        asked.clear();
        assertThat(policy.decideOutsideRecordsHint(jansen, facts(Set.of(), List.of(), Set.of()), annaHere,
                optedInElsewhere)).as("not in his care: he may not read her").isFalse();
        assertThat(policy.decideOutsideRecordsHint(caller("clinician", "de-spree"), inCare, annaHere,
                optedInElsewhere)).as("another institution's clinician").isFalse();
        assertThat(policy.decideOutsideRecordsHint(caller("tenant-admin", "nl-amstel"), inCare, annaHere,
                optedInElsewhere)).as("an administrator reads no clinical content").isFalse();
        assertThat(policy.decideOutsideRecordsHint(patient("anna"), inCare, annaHere, optedInElsewhere))
                .as("the patient herself").isFalse();
        assertThat(policy.decideOutsideRecordsHint(jansen, inCare, new RecordFacts(AMSTEL, "Observation", "anna",
                List.of()), optedInElsewhere)).as("only about a Patient record").isFalse();
        assertThat(asked).as("the fact past row-level security is not even asked").isEmpty();

        AccessFacts granted = facts(Set.of("anna"), List.of(grantTo("prac-1",
                new GrantScope("exclude-sensitive", Set.of()), null)), Set.of());
        assertThat(policy.decideOutsideRecordsHint(jansen, granted, annaHere, optedInElsewhere))
                .as("a grant shows the records: the banner names their institutions instead").isFalse();
        AccessGrant ended = grantTo("prac-1", new GrantScope("all", Set.of()), null);
        ended.revoke(NOW.minusSeconds(1));
        assertThat(policy.decideOutsideRecordsHint(jansen, facts(Set.of("anna"), List.of(ended), Set.of()),
                annaHere, optedInElsewhere)).as("a revoked grant shows nothing").isTrue();
    }
}
