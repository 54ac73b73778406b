package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.SmartLaunches.Launch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ADR 0028: the signed launch value, and what a staff token's launch patient confines. */
class SmartLaunchTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final TenantId AMSTEL = TenantId.of("nl-amstel");
    private static final long EXP = NOW.getEpochSecond() + 300;
    private static final Launch ANNA = new Launch("pat-anna", null, "anna", "nl-amstel", "sub-jansen",
            "meridian-demo-app", EXP);

    private final AccessPolicy policy = new AccessPolicy();

    private static Optional<Launch> verify(String value, String patientClaim, long at) {
        return SmartLaunches.verify(KEY, value, "sub-jansen", "meridian-demo-app", "nl-amstel", patientClaim, at);
    }

    @Test
    void aLaunchIsAdmittedForItsUserAppInstitutionAndPatientBeforeItExpires() {
        String value = SmartLaunches.sign(KEY, ANNA);
        assertThat(verify(value, "pat-anna", NOW.getEpochSecond())).contains(ANNA);
        assertThat(verify(value, "pat-anna", EXP)).as("redeemed at the last second").isPresent();
        assertThat(verify(value, "pat-anna", EXP + 1)).as("redeemed after it expired").isEmpty();
        assertThat(verify(value, "pat-anna", 0)).as("never redeemed by Keycloak").isEmpty();
        assertThat(verify(value, "pat-bram", NOW.getEpochSecond())).as("the token names another patient").isEmpty();
        assertThat(SmartLaunches.verify(KEY, value, "sub-visser", "meridian-demo-app", "nl-amstel", "pat-anna",
                NOW.getEpochSecond())).as("another user").isEmpty();
        assertThat(SmartLaunches.verify(KEY, value, "sub-jansen", "other-app", "nl-amstel", "pat-anna",
                NOW.getEpochSecond())).as("another app").isEmpty();
        assertThat(SmartLaunches.verify(KEY, value, "sub-jansen", "meridian-demo-app", "de-spree", "pat-anna",
                NOW.getEpochSecond())).as("another institution").isEmpty();
    }

    /** ADR 0032: a launch from an encounter signs the encounter too; it cannot be swapped for another. */
    @Test
    void aLaunchFromAnEncounterCarriesItUnderTheSignature() {
        Launch visit = new Launch("pat-anna", "enc-1", "anna", "nl-amstel", "sub-jansen", "meridian-demo-app", EXP);
        String value = SmartLaunches.sign(KEY, visit);
        assertThat(verify(value, "pat-anna", NOW.getEpochSecond())).map(Launch::encounter).contains("enc-1");
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("1|pat-anna|enc-2|anna|nl-amstel|sub-jansen|meridian-demo-app|" + EXP)
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(verify(body + value.substring(value.indexOf('.')), "pat-anna", NOW.getEpochSecond()))
                .as("another encounter under the same signature").isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SmartLaunches.sign(KEY, new Launch("pat-anna",
                "enc|1", "anna", "nl-amstel", "sub-jansen", "meridian-demo-app", EXP))).hasMessageContaining("EHR-1151");
    }

    @Test
    void aForgedOrAlteredLaunchNamesNothing() {
        String value = SmartLaunches.sign(KEY, ANNA);
        String other = SmartLaunches.sign("another key, another key, another".getBytes(StandardCharsets.UTF_8),
                ANNA);
        assertThat(verify(other, "pat-anna", NOW.getEpochSecond())).as("signed with another key").isEmpty();
        // the app swaps the patient in the payload and keeps the signature
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("1|pat-bram||bram|nl-amstel|sub-jansen|meridian-demo-app|" + EXP).getBytes(StandardCharsets.UTF_8));
        String swapped = body + value.substring(value.indexOf('.'));
        assertThat(verify(swapped, "pat-bram", NOW.getEpochSecond())).isEmpty();
        assertThat(verify("pat-bram", "pat-bram", NOW.getEpochSecond())).as("an unknown launch id").isEmpty();
        assertThat(verify(null, "pat-anna", NOW.getEpochSecond())).isEmpty();
        assertThat(verify(value + "x", "pat-anna", NOW.getEpochSecond())).isEmpty();
    }

    // --- the policy -------------------------------------------------------------------------------------------

    private static Caller clinician(String scope, String launchPerson) {
        return new Caller("sub", "lea", Set.of("clinician"), Optional.of(AMSTEL), Optional.of("prac-1"),
                Optional.empty(), SmartScopes.parse(scope).withLaunchPerson(launchPerson));
    }

    private static RecordFacts record(String type, String person) {
        return new RecordFacts(AMSTEL, type, person, List.of());
    }

    private static AccessFacts inCare(String... persons) {
        return new AccessFacts(Set.of(persons), List.of(), Set.of(), NOW);
    }

    @Test
    void aPatientScopeOfAStaffTokenReachesOnlyTheLaunchPatient() {
        AccessFacts care = inCare("anna", "bram");
        Caller launched = clinician("launch patient/*.rs", "anna");
        assertThat(policy.decide(launched, care, record("Observation", "anna")).permitted()).isTrue();
        Decision other = policy.decide(launched, care, record("Observation", "bram"));
        assertThat(other.permitted()).as("another patient in the same care team").isFalse();
        assertThat(other.reason()).startsWith("EHR-1150");
        assertThat(policy.decide(launched, care, record("Organization", null)).permitted())
                .as("records about no patient are not the launch patient's").isFalse();
        assertThat(policy.decide(clinician("launch patient/*.rs", null), care, record("Observation", "anna"))
                .reason()).as("no (verified) launch: nothing").startsWith("EHR-1121");
        assertThat(policy.decide(clinician("patient/Observation.rs", "anna"), care, record("Condition", "anna"))
                .permitted()).as("still only the scoped types").isFalse();
    }

    @Test
    void theLaunchNeverGrants() {
        Decision d = policy.decide(clinician("patient/*.rs", "carl"), inCare("anna"), record("Observation", "carl"));
        assertThat(d.permitted()).as("a launch patient the clinician may not read").isFalse();
    }

    @Test
    void userScopesBesideAreJudgedByTheRulesButSearchesStayWithTheLaunchPatient() {
        Caller mixed = clinician("patient/*.rs user/Observation.rs", "anna");
        AccessFacts care = inCare("anna", "bram");
        assertThat(policy.decide(mixed, care, record("Observation", "bram")).permitted()).isTrue();
        assertThat(policy.decide(mixed, care, record("Condition", "bram")).permitted()).isFalse();
        List<TenantId> all = List.of(AMSTEL);
        Scope s = policy.searchScope(mixed, care, all).orElseThrow();
        assertThat(s.persons()).containsExactly("anna");
        assertThat(policy.searchScopeForPerson(mixed, care, all, "bram").orElseThrow().persons())
                .containsExactly(Scope.NOBODY);
        assertThat(policy.searchScope(clinician("patient/*.rs", "carl"), care, all).orElseThrow().persons())
                .as("a launch patient not in care").containsExactly(Scope.NOBODY);
    }

    @Test
    void writesWithAPatientScopeOnlyAboutTheLaunchPatient() {
        Caller launched = clinician("patient/Observation.cruds", "anna");
        AccessFacts care = inCare("anna", "bram");
        assertThat(policy.decideWrite(launched, care, "Observation", "anna").permitted()).isTrue();
        assertThat(policy.decideWrite(launched, care, "Observation", "bram").reason()).startsWith("EHR-1150");
    }

    @Test
    void aPatientOrAnUnnarrowedTokenHasNoLaunchPerson() {
        assertThat(SmartScopes.parse("openid launch").withLaunchPerson("anna").launchPerson()).isEmpty();
        assertThat(policy.launchPerson(clinician("patient/*.rs", "anna"))).contains("anna");
    }
}
