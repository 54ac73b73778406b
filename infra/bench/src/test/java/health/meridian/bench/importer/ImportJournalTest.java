package health.meridian.bench.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportJournalTest {

    @TempDir
    Path dir;

    @Test
    void reopenedJournalKnowsWhatIsDoneAndWhatWasInFlight() {
        Path file = dir.resolve("import/run.journal");
        ImportJournal journal = ImportJournal.open(file);
        journal.started("nl-amstel", "a.json");
        journal.done("nl-amstel", "a.json", 12);
        journal.started("de-spree", "b.json");

        ImportJournal reopened = ImportJournal.open(file);

        assertThat(reopened.isDone("nl-amstel", "a.json")).isTrue();
        assertThat(reopened.isInDoubt("nl-amstel", "a.json")).isFalse();
        assertThat(reopened.isDone("de-spree", "b.json")).isFalse();
        assertThat(reopened.isInDoubt("de-spree", "b.json")).isTrue();
        assertThat(reopened.isDone("de-spree", "a.json")).as("done is per tenant").isFalse();
        assertThat(reopened.doneCount()).isEqualTo(1);
    }
}
