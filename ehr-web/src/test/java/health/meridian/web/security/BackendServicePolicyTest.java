package health.meridian.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.meridian.domain.export.ExportJob;
import health.meridian.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AccessPolicy's rules for registered SMART backend services (ADR 0031), in-process. */
class BackendServicePolicyTest {

    private static final TenantId AMSTEL = TenantId.of("nl-amstel");
    private static final TenantId SPREE = TenantId.of("de-spree");

    private final AccessPolicy policy = new AccessPolicy();
    private final AccessFacts none = AccessFacts.none(Instant.now());

    private static Caller backend(String scope) {
        return new Caller("sa", "service-account-registry", Set.of(Caller.BACKEND_SERVICE), Optional.of(AMSTEL),
                Optional.empty(), Optional.empty(), "Registry", SmartScopes.parse(scope),
                Optional.of(new Caller.App("registry", "Registry")));
    }

    private static RecordFacts record(TenantId custodian, String type) {
        return new RecordFacts(custodian, type, "person-1", List.of());
    }

    @Test
    void readsItsOwnInstitutionsRecordsAsFarAsItsSystemScopesGo() {
        Caller all = backend("system/*.rs");
        assertThat(policy.decide(all, none, record(AMSTEL, "Condition")).permitted()).isTrue();
        assertThat(policy.decide(all, none, record(AMSTEL, "Condition")).purpose()).isEqualTo("HOPERAT");
        assertThat(policy.decide(all, none, record(SPREE, "Condition")).reason()).startsWith("EHR-1180");
        Caller observations = backend("system/Observation.rs");
        assertThat(policy.decide(observations, none, record(AMSTEL, "Observation")).permitted()).isTrue();
        assertThat(policy.decide(observations, none, record(AMSTEL, "Condition")).reason()).startsWith("EHR-1182");
    }

    @Test
    void userAndPatientScopesAndNoScopeAtAllAdmitNothing() {
        assertThat(policy.decide(backend("user/*.rs patient/*.rs"), none, record(AMSTEL, "Condition")).reason())
                .startsWith("EHR-1182");
        assertThat(policy.decide(backend(null), none, record(AMSTEL, "Condition")).reason()).startsWith("EHR-1182");
    }

    /** The seam's searches narrow only tokens that narrow: a backend token without scopes must narrow too. */
    @Test
    void aBackendTokenWithoutScopesIsNarrowedToNothingNotLeftUnnarrowed() {
        Caller bare = backend(null);
        assertThat(bare.scopes().narrows()).isTrue();
        assertThat(bare.scopes().permits(Set.of(SmartScopes.Level.SYSTEM), "Condition", 's')).isFalse();
        assertThat(policy.decideScope(bare, "Condition", 's').permitted()).isFalse();
    }

    @Test
    void systemScopesOnAUsersTokenStillAdmitNothing() {
        Caller clinician = new Caller("s", "dr", Set.of("clinician"), Optional.of(AMSTEL), Optional.of("prac"),
                Optional.empty(), SmartScopes.parse("system/*.rs"));
        assertThat(policy.decide(clinician, none, new RecordFacts(AMSTEL, "Organization", null, List.of()))
                .reason()).startsWith("EHR-1120");
    }

    @Test
    void searchesTheWholeOwnInstitutionAndExportsAtEveryLevel() {
        Caller all = backend("system/*.rs");
        var scope = policy.searchScope(all, none, List.of(AMSTEL, SPREE)).orElseThrow();
        assertThat(scope.tenants()).containsExactly(AMSTEL);
        assertThat(scope.persons()).as("no person list: the whole institution").isEmpty();
        assertThat(scope.shared()).isEmpty();
        assertThat(policy.searchScopeForPerson(all, none, List.of(AMSTEL), "p1").orElseThrow().persons())
                .containsExactly("p1");
        assertThat(policy.confirmsHit(all, none, "nl-amstel", "p1")).isTrue();
        for (ExportJob.Level level : ExportJob.Level.values()) {
            policy.bulkExport(all, level);
        }
        assertThat(policy.exportsWholeInstitution(all)).contains(AMSTEL);
        assertThat(policy.exportInstitution(all)).contains(AMSTEL);
    }

    @Test
    void writesNothingAndUsesNoJsonApiUseCase() {
        Caller all = backend("system/*.cruds");
        assertThatThrownBy(() -> policy.writeTenant(all, "Observation", 'c'))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-1181");
        assertThat(policy.decideWrite(all, none, "Observation", "p1").reason()).startsWith("EHR-1181");
        assertThatThrownBy(() -> policy.requireUnscoped(backend(null)))
                .isInstanceOf(AccessDeniedException.class).hasMessageStartingWith("EHR-1122");
    }

    @Test
    void onlyATenantAdminAdministersTheInstitutionsApps() {
        Caller admin = new Caller("a", "admin", Set.of("tenant-admin"), Optional.of(AMSTEL), Optional.empty(),
                Optional.empty());
        assertThat(policy.appAdminInstitution(admin)).isEqualTo(AMSTEL);
        Caller clinician = new Caller("c", "dr", Set.of("clinician"), Optional.of(AMSTEL), Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> policy.appAdminInstitution(clinician)).hasMessageStartingWith("EHR-1183");
        assertThatThrownBy(() -> policy.appAdminInstitution(new Caller("p", "root", Set.of("platform-admin"),
                Optional.empty(), Optional.empty(), Optional.empty()))).hasMessageStartingWith("EHR-1183");
    }
}
