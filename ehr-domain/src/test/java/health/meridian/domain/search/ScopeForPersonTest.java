package health.meridian.domain.search;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.search.RecordQuery.Scope;
import health.meridian.domain.search.RecordQuery.Shared;
import health.meridian.domain.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeForPersonTest {

    private final Scope clinician = new Scope(List.of(TenantId.of("de-spree")), List.of("in-care"), List.of(), true,
            List.of(new Shared("granted", List.of("PSY")), new Shared("other", List.of())));

    @Test
    void aPersonInCareKeepsTheOwnInstitutionClause() {
        Scope s = clinician.forPerson("in-care");
        assertThat(s.persons()).containsExactly("in-care");
        assertThat(s.shared()).isEmpty();
        assertThat(s.includeUnlinked()).isFalse();
    }

    @Test
    void aPersonOnlySharedByAGrantGetsNoOwnInstitutionRecordsButTheGrant() {
        Scope s = clinician.forPerson("granted");
        assertThat(s.persons()).as("never empty: an empty list would admit the whole institution")
                .containsExactly(Scope.NOBODY);
        assertThat(s.shared()).containsExactly(new Shared("granted", List.of("PSY")));
    }

    @Test
    void aStrangerGetsNothing() {
        Scope s = clinician.forPerson("stranger");
        assertThat(s.persons()).containsExactly(Scope.NOBODY);
        assertThat(s.shared()).isEmpty();
    }
}
