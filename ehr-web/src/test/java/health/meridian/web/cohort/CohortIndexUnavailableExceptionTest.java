package health.meridian.web.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.search.IndexUnavailableException;
import org.junit.jupiter.api.Test;

class CohortIndexUnavailableExceptionTest {

    @Test
    void anOutdatedIndexTellsTheOperatorWhatToDo() {
        String outdated = "EHR-0842 the person cohort index was built with an older mapping than meridian-persons-v3;"
                + " an operator must rebuild it (./meridian reindex)";
        assertThat(new CohortIndexUnavailableException(new IndexUnavailableException(outdated, null)).getMessage())
                .isEqualTo(outdated);
    }

    @Test
    void anUnreachableIndexIsAnsweredWithoutTheClientsDetails() {
        String m = new CohortIndexUnavailableException(new IndexUnavailableException(
                "EHR-0840 search index unreachable: Connection refused 127.0.0.1:59200", null)).getMessage();
        assertThat(m).startsWith("EHR-0840").doesNotContain("127.0.0.1").doesNotContain("refused");
    }
}
