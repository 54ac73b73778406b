package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.access.AccessGrant;
import health.meridian.domain.access.GrantScope;
import health.meridian.domain.access.Grantee;
import health.meridian.domain.tenant.TenantId;
import health.meridian.web.security.SmartScopes.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

    private static final Set<Level> PATIENT = Set.of(Level.PATIENT);
    private static final Set<Level> USER = Set.of(Level.USER);
    private static final Set<Level> ALL = Set.of(Level.PATIENT, Level.USER, Level.SYSTEM);
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final TenantId AMSTEL = TenantId.of("nl-amstel");

    private final AccessPolicy policy = new AccessPolicy();

    @Test
    void aTokenWithoutSmartResourceScopesIsNotNarrowed() {
        for (String claim : new String[] {null, "", "  ", "openid profile email", "openid fhirUser launch "
                + "launch/patient offline_access", "patients/x.rs Patient/*.rs userx/*.rs"}) {
            SmartScopes s = SmartScopes.parse(claim);
            assertThat(s.narrows()).as(String.valueOf(claim)).isFalse();
            assertThat(s.permits(Set.of(), "Condition", 'd')).as(String.valueOf(claim)).isTrue();
        }
    }

    /** ADR 0025 point 2 as amended: an app asking for no SMART resource scope gets nothing, not its user's all. */
    @Test
    void anAppsTokenWithoutSmartResourceScopesReachesNothingButMeridiansOwnClientsAreUnchanged() {
        SmartScopes launchOnly = SmartScopes.parse("openid fhirUser launch offline_access");
        for (String app : new String[] {"meridian-demo-app", "meridian-cli-smart", "registry-app", null}) {
            SmartScopes s = launchOnly.forClient(app);
            assertThat(s.narrows()).as(String.valueOf(app)).isTrue();
            assertThat(s.permits(ALL, "Patient", 'r')).as(String.valueOf(app)).isFalse();
            Caller c = new Caller("u1", "dr.jansen", Set.of("clinician"), Optional.of(AMSTEL), Optional.of("pr1"),
                    Optional.empty(), "dr.jansen", s);
            assertThat(policy.decideScope(c, "Observation", 'r').permitted()).as(String.valueOf(app)).isFalse();
            assertThatThrownBy(() -> policy.requireUnscoped(c)).hasMessageContaining("EHR-1122");
        }
        for (String own : new String[] {"meridian-web", "meridian-cli", "meridian-cli-short-lived"}) {
            assertThat(launchOnly.forClient(own).narrows()).as(own).isFalse();
        }
        SmartScopes scoped = SmartScopes.parse("launch patient/Observation.rs");
        assertThat(scoped.forClient("meridian-demo-app")).as("an app's own scopes are kept").isSameAs(scoped);
    }

    @Test
    void v2ScopesNameTypesAndInteractions() {
        SmartScopes s = SmartScopes.parse("openid patient/Observation.rs user/Condition.cud system/*.s");
        assertThat(s.narrows()).isTrue();
        assertThat(s.permits(PATIENT, "Observation", 'r')).isTrue();
        assertThat(s.permits(PATIENT, "Observation", 's')).isTrue();
        assertThat(s.permits(PATIENT, "Observation", 'c')).isFalse();
        assertThat(s.permits(PATIENT, "Condition", 'r')).as("other type").isFalse();
        assertThat(s.permits(USER, "Observation", 'r')).as("patient scope, user level asked").isFalse();
        assertThat(s.permits(USER, "Condition", 'c')).isTrue();
        assertThat(s.permits(USER, "Condition", 'u')).isTrue();
        assertThat(s.permits(USER, "Condition", 'd')).isTrue();
        assertThat(s.permits(USER, "Condition", 'r')).isFalse();
        assertThat(s.permits(Set.of(Level.SYSTEM), "Anything", 's')).isTrue();
        assertThat(s.permits(Set.of(Level.SYSTEM), "Anything", 'r')).isFalse();
        assertThat(s.permits(ALL, null, 'r')).as("no type").isFalse();
    }

    @Test
    void everyTypeIsAskedAsStar() {
        assertThat(SmartScopes.parse("user/*.rs").permits(USER, "*", 's')).isTrue();
        assertThat(SmartScopes.parse("user/Observation.rs").permits(USER, "*", 's')).as("one type is not all")
                .isFalse();
        assertThat(SmartScopes.parse("openid").permits(USER, "*", 's')).isTrue();
    }

    @Test
    void wildcardsAndV1Forms() {
        SmartScopes s = SmartScopes.parse("user/*.cruds");
        for (char i : "cruds".toCharArray()) {
            assertThat(s.permits(USER, "Encounter", i)).isTrue();
        }
        SmartScopes read = SmartScopes.parse("patient/*.read");
        assertThat(read.permits(PATIENT, "Condition", 'r')).isTrue();
        assertThat(read.permits(PATIENT, "Condition", 's')).isTrue();
        assertThat(read.permits(PATIENT, "Condition", 'c')).isFalse();
        SmartScopes write = SmartScopes.parse("user/Observation.write");
        assertThat(write.permits(USER, "Observation", 'c')).isTrue();
        assertThat(write.permits(USER, "Observation", 'u')).isTrue();
        assertThat(write.permits(USER, "Observation", 'd')).isTrue();
        assertThat(write.permits(USER, "Observation", 'r')).isFalse();
        SmartScopes star = SmartScopes.parse("user/Observation.*");
        for (char i : "cruds".toCharArray()) {
            assertThat(star.permits(USER, "Observation", i)).isTrue();
        }
        assertThat(star.permits(USER, "Condition", 'r')).isFalse();
    }

    @Test
    void malformedScopesNarrowAndNameNothing() {
        for (String bad : new String[] {"patient/Observation.sr", "patient/Observation.rr", "patient/Observation.x",
                "patient/Observation.", "patient/Observation", "patient/.rs", "patient/observation.rs",
                "patient/Observation.rs?category=laboratory", "user/*.READ", "patient/*/x.rs", "system/",
                "user/Obs-ervation.rs", "patient/Observation.rsx"}) {
            SmartScopes s = SmartScopes.parse("openid " + bad);
            assertThat(s.narrows()).as(bad).isTrue();
            assertThat(s.scopes()).as(bad).isEmpty();
            assertThat(s.malformed()).as(bad).containsExactly(bad);
            for (char i : "cruds".toCharArray()) {
                assertThat(s.permits(ALL, "Observation", i)).as(bad + " " + i).isFalse();
            }
        }
        SmartScopes mixed = SmartScopes.parse("patient/Observation.x patient/Condition.rs");
        assertThat(mixed.permits(PATIENT, "Condition", 'r')).isTrue();
        assertThat(mixed.permits(PATIENT, "Observation", 'r')).isFalse();
    }

    // --- the policy: scopes narrow, never grant -------------------------------------------------------------

    private static Caller clinician(String scope) {
        return new Caller("sub", "lea", Set.of("clinician"), Optional.of(AMSTEL), Optional.of("prac-1"),
                Optional.empty(), SmartScopes.parse(scope));
    }

    private static Caller patient(String scope) {
        return new Caller("sub", "anna", Set.of("patient"), Optional.empty(), Optional.empty(), Optional.of("anna"),
                SmartScopes.parse(scope));
    }

    private static RecordFacts record(String type, String person) {
        return new RecordFacts(AMSTEL, type, person, List.of());
    }

    private static AccessFacts inCare(String... persons) {
        return new AccessFacts(Set.of(persons), List.of(), Set.of(), NOW);
    }

    @Test
    void aPatientScopeReachesOnlyItsTypesOfThePatientsOwnRecords() {
        Caller anna = patient("openid patient/Observation.rs");
        AccessFacts none = AccessFacts.none(NOW);
        assertThat(policy.decide(anna, none, record("Observation", "anna")).permitted()).isTrue();
        Decision condition = policy.decide(anna, none, record("Condition", "anna"));
        assertThat(condition.permitted()).isFalse();
        assertThat(condition.reason()).startsWith("EHR-1120");
        assertThat(policy.decide(anna, none, record("Observation", "bram")).permitted()).as("never grants")
                .isFalse();
        assertThat(policy.decide(patient("patient/*.rs"), none, record("Condition", "anna")).permitted()).isTrue();
        assertThat(policy.decide(patient(null), none, record("Condition", "anna")).permitted()).as("no scopes")
                .isTrue();
    }

    @Test
    void aUserScopeNarrowsAClinicianAndNeverGrants() {
        AccessFacts care = inCare("anna");
        assertThat(policy.decide(clinician("openid"), care, record("Condition", "anna")).permitted())
                .as("no SMART scopes: as before").isTrue();
        assertThat(policy.decide(clinician("user/Observation.rs"), care, record("Observation", "anna")).permitted())
                .isTrue();
        assertThat(policy.decide(clinician("user/Observation.rs"), care, record("Condition", "anna")).permitted())
                .isFalse();
        assertThat(policy.decide(clinician("user/*.cruds"), care, record("Condition", "bram")).permitted())
                .as("not in care: a scope does not grant").isFalse();
        assertThat(policy.decide(clinician("user/*.cruds"), care, record("Organization", null)).permitted())
                .isTrue();
    }

    @Test
    void aClinicianWithOnlyPatientScopesAndNoLaunchPatientReachesNothing() {
        Decision d = policy.decide(clinician("patient/*.rs launch/patient"), inCare("anna"),
                record("Observation", "anna"));
        assertThat(d.permitted()).isFalse();
        assertThat(d.reason()).startsWith("EHR-1121");
        assertThat(policy.decide(clinician("system/*.rs"), inCare("anna"), record("Observation", "anna"))
                .permitted()).as("system scopes on a user token").isFalse();
    }

    @Test
    void writesNeedTheirInteraction() {
        assertThat(policy.writeTenant(clinician(null), "Observation", 'c')).isEqualTo(AMSTEL);
        assertThat(policy.writeTenant(clinician("user/*.cruds"), "Observation", 'u')).isEqualTo(AMSTEL);
        assertThat(policy.writeTenant(clinician("user/Observation.write"), "Observation", 'd')).isEqualTo(AMSTEL);
        assertThatThrownBy(() -> policy.writeTenant(clinician("user/Observation.rs"), "Observation", 'c'))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-1120");
        assertThatThrownBy(() -> policy.writeTenant(clinician("user/Observation.cud"), "Condition", 'c'))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-1120");
        assertThatThrownBy(() -> policy.writeTenant(patient("patient/*.cruds"), "Observation", 'c'))
                .as("a scope does not make a patient a writer").isInstanceOf(AccessDeniedException.class)
                .hasMessageStartingWith("EHR-0302");
        assertThat(AccessSeam.interaction(health.meridian.domain.audit.AuditAction.R)).isEqualTo('s');
        assertThat(AccessSeam.interaction(health.meridian.domain.audit.AuditAction.D)).isEqualTo('d');
    }

    @Test
    void theSummaryGrantsAndJsonApiObeyScopes() {
        AccessFacts shared = new AccessFacts(Set.of(), List.of(), Set.of(), Set.of("anna"), NOW);
        assertThat(policy.decideForSummary(clinician(null), shared, record("Condition", "anna")).permitted())
                .as("share code, no scopes").isTrue();
        assertThat(policy.decideForSummary(clinician("user/Observation.rs"), shared, record("Condition", "anna"))
                .permitted()).isFalse();
        AccessGrant grant = AccessGrant.grant("anna", Grantee.practitioner("prac-1"),
                new GrantScope("exclude-sensitive", Set.of()), "TREAT", NOW.minusSeconds(60), null);
        assertThat(policy.decideGrantRead(patient(null), grant).permitted()).isTrue();
        assertThat(policy.decideGrantRead(patient("patient/Observation.rs"), grant).permitted()).isFalse();
        assertThat(policy.decideGrantRead(patient("patient/Consent.rs"), grant).permitted()).isTrue();
        policy.requireUnscoped(clinician("openid profile"));
        assertThatThrownBy(() -> policy.requireUnscoped(patient("patient/*.rs")))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-1122");
    }
}
