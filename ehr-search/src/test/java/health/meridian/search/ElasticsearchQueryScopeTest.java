package health.meridian.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import health.meridian.domain.search.RecordQuery;
import health.meridian.domain.search.RecordQuery.Criterion;
import health.meridian.domain.search.RecordQuery.Match;
import health.meridian.domain.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchQueryScopeTest {

    @Test
    void everyQueryIsFilteredToTheCallersTenants() {
        RecordQuery query = new RecordQuery(List.of(TenantId.of("nl-amstel")), "Patient",
                List.of(new Criterion("name_folded", "ÉLO", Match.PREFIX)), 10);

        BoolQuery bool = ElasticsearchRecordIndex.scoped(query);

        assertThat(bool.filter().get(0).terms().field()).isEqualTo("tenant");
        assertThat(bool.filter().get(0).terms().terms().value()).extracting(v -> v.stringValue())
                .containsExactly("nl-amstel");
        assertThat(bool.filter().get(1).term().value().stringValue()).isEqualTo("Patient");
        assertThat(bool.filter().get(2).prefix().value()).isEqualTo("elo");
        assertThat(bool.mustNot().get(0).term().field()).isEqualTo("deleted");
    }

    @Test
    void aQueryWithoutTenantScopeCannotBeBuilt() {
        assertThatThrownBy(() -> new RecordQuery(List.of(), "Patient", List.of(), 10))
                .hasMessageStartingWith("EHR-0201");
    }

    @Test
    void foldingRemovesCaseAndAccents() {
        assertThat(Folding.fold(" Ångström-Müller ")).isEqualTo("angstrom-muller");
        assertThat(Folding.fold("Straße")).isEqualTo("strase");
    }
}
