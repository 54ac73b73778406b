package health.meridian.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a transaction's view of the access-fact counter (V29) lets it reuse. */
class AccessFactVersionsTest {

    @Test
    void reusesOnlyWhatWasLoadedAtTheSameNumber() {
        AccessFactVersions.Seen seen = AccessFactVersions.of(new Object[] {"x", "y", 12L, false}, 2);
        assertThat(seen.reuses(12)).isTrue();
        assertThat(seen.reuses(11)).isFalse();
        assertThat(seen.reuses(13)).isFalse();
    }

    @Test
    void aTransactionThatChangedTheFactsReusesNothing() {
        AccessFactVersions.Seen seen = AccessFactVersions.of(new Object[] {12L, true}, 0);
        assertThat(seen.writtenHere()).isTrue();
        assertThat(seen.reuses(12)).as("its own, uncommitted number").isFalse();
    }

    @Test
    void withoutACounterRowNothingIsReused() {
        AccessFactVersions.Seen seen = AccessFactVersions.of(new Object[] {null, false}, 0);
        assertThat(seen.reuses(-1)).isFalse();
    }

    @Test
    void theBindingStatementReadsTheCounterAndTheTransactionsOwnMark() {
        assertThat(AccessFactVersions.COLUMNS).contains("(SELECT version FROM access_fact_version)")
                .contains("current_setting('app.access_facts_written', true)")
                .contains("(SELECT version FROM care_relation_version)");
    }

    @Test
    void theCareRelationsCounterIsReadBesideAndKeptOnlyWhereNothingWasWritten() {
        AccessFactVersions.Seen seen = AccessFactVersions.of(new Object[] {"x", "y", 12L, false, 40L}, 2);
        assertThat(seen.careVersion()).isEqualTo(40);
        assertThat(seen.keepsCare()).isTrue();
        assertThat(AccessFactVersions.of(new Object[] {12L, true, 40L}, 0).keepsCare()).as("written here").isFalse();
        assertThat(AccessFactVersions.of(new Object[] {12L, false, null}, 0).keepsCare()).as("no counter row")
                .isFalse();
        assertThat(AccessFactVersions.of(new Object[] {12L, false}, 0).keepsCare()).as("not read").isFalse();
    }
}
