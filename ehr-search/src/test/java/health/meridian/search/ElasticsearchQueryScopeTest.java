package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Prefix;
import health.meridian.domain.search.RecordQuery.Range;
import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchQueryScopeTest {

    private static final Scope AMSTEL = Scope.tenants(List.of(TenantId.of("nl-amstel")));

    @Test
    void everyQueryIsFilteredToTheCallersTenantsBeforeAnyCriterion() {
        RecordQuery query = RecordQuery.of(AMSTEL, "Patient", List.of(new Prefix("sp_string", "name:elo")), 10);

        BoolQuery bool = ElasticsearchRecordIndex.scoped(query);

        BoolQuery own = bool.filter().get(0).bool();
        assertThat(own.filter().get(0).terms().field()).isEqualTo("tenant");
        assertThat(own.filter().get(0).terms().terms().value()).extracting(v -> v.stringValue())
                .containsExactly("nl-amstel");
        assertThat(bool.filter().get(1).terms().terms().value()).extracting(v -> v.stringValue())
                .containsExactly("Patient");
        Query prefix = bool.filter().get(2).bool().should().get(0);
        assertThat(prefix.prefix().value()).isEqualTo("name:elo");
        assertThat(bool.mustNot().get(0).term().field()).isEqualTo("deleted");
    }

    @Test
    void personScopeAndWithheldLabelsAreFiltersToo() {
        Scope scope = new Scope(List.of(TenantId.of("nl-amstel"), TenantId.of("de-spree")), List.of("person-anna"),
                List.of("http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY"));
        BoolQuery bool = ElasticsearchRecordIndex.scoped(RecordQuery.of(scope, "Observation",
                List.of(new Range("effective", null, "2024-01-01", null, null)), 10));

        BoolQuery own = bool.filter().get(0).bool();
        assertThat(own.filter().get(1).terms().field()).isEqualTo("person");
        assertThat(own.mustNot().get(0).terms().field()).isEqualTo("sensitivity");
        assertThat(bool.filter().get(2).range().untyped().field()).isEqualTo("effective");
    }

    @Test
    void aSharedPersonIsVisibleAtEveryOtherInstitutionMinusWithheldCategories() {
        Scope scope = new Scope(List.of(TenantId.of("de-spree")), List.of("p1"), List.of(), true,
                List.of(new RecordQuery.Shared("person-anna", List.of("PSY"))));
        BoolQuery bool = ElasticsearchRecordIndex.scoped(RecordQuery.of(scope, "Observation", List.of(), 10));
        var clauses = bool.filter().get(0).bool().should();
        assertThat(clauses).hasSize(2);
        BoolQuery shared = clauses.get(1).bool();
        assertThat(shared.filter().get(0).term().value().stringValue()).isEqualTo("person-anna");
        assertThat(shared.mustNot().get(0).terms().field()).as("not the caller's own institution").isEqualTo("tenant");
        assertThat(shared.mustNot().get(0).terms().terms().value()).extracting(v -> v.stringValue())
                .containsExactly("de-spree");
        assertThat(shared.mustNot().get(1).terms().field()).isEqualTo("sensitivity_code");
        assertThat(shared.filter()).noneMatch(q -> q.isTerms() && "tenant".equals(q.terms().field()));
    }

    @Test
    void aQueryWithoutTenantScopeCannotBeBuilt() {
        assertThatThrownBy(() -> Scope.tenants(List.of())).hasMessageStartingWith("EHR-0201");
        assertThatThrownBy(() -> RecordQuery.of(null, "Patient", List.of(), 10)).hasMessageStartingWith("EHR-0201");
    }

    @Test
    void foldingRemovesCaseAndAccents() {
        assertThat(Folding.fold(" Ångström-Müller ")).isEqualTo("angstrom-muller");
        assertThat(Folding.fold("Straße")).isEqualTo("strase");
    }
}
