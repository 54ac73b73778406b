package health.meridian.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.RecordQuery.Shared;
import health.meridian.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL form of a search scope names the same clauses as the mirror's query builder. */
class ScopeSqlTest {

    @Test
    void clinicianScopeOwnInstitutionCarePersonsAndGrantsElsewhereWithoutWithheldCodes() {
        Scope scope = new Scope(List.of(TenantId.of("nl-amstel")), List.of("anna", "bram"), List.of(), true,
                List.of(new Shared("carl", List.of("PSY", "HIV"))));
        List<Object> params = new ArrayList<>(List.of("Observation"));
        String sql = ScopeSql.predicate(scope, params);
        assertThat(sql).startsWith("(" + ScopeSql.LABELS + " IS NOT NULL AND (")
                .contains("(v.tenant_id IN (?2) AND (v.person_id IN (?3, ?4) OR v.person_id IS NULL))")
                .contains(" OR (v.person_id = ?5 AND v.tenant_id NOT IN (?6) AND NOT EXISTS (SELECT 1 FROM"
                        + " jsonb_array_elements_text(" + ScopeSql.LABELS + ") AS l(label) WHERE"
                        + " substring(l.label from '[^|]*$') IN (?7, ?8)))");
        assertThat(params).containsExactly("Observation", "nl-amstel", "anna", "bram", "carl", "nl-amstel", "PSY",
                "HIV");
    }

    @Test
    void patientScopeIsTheirPersonAtEveryInstitutionAndNothingAboutNoPerson() {
        Scope scope = new Scope(List.of(TenantId.of("nl-amstel"), TenantId.of("de-spree")), List.of("anna"),
                List.of());
        List<Object> params = new ArrayList<>();
        String sql = ScopeSql.predicate(scope, params);
        assertThat(sql).contains("(v.tenant_id IN (?1, ?2) AND (v.person_id IN (?3)))").doesNotContain(" OR ")
                .doesNotContain("IS NULL)");
        assertThat(params).containsExactly("nl-amstel", "de-spree", "anna");
    }

    @Test
    void aDeletionMarkerIsJudgedByTheVersionItDeletes() {
        assertThat(ScopeSql.LABELS).contains("WHEN v.deleted THEN (SELECT p.sensitivity")
                .contains("p.version = v.version - 1");
    }
}
