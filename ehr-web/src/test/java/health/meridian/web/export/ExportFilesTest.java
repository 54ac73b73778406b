package health.meridian.web.export;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.domain.export.ExportJobRepository.Chunk;
import health.meridian.domain.export.ExportJobRepository.FileSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportFilesTest {

    @Test
    void noFileHoldsMoreThanItsResourcesAndChunksAreNumberedInOrder() {
        ExportFiles files = new ExportFiles(3, List.of(), 0);
        List<Chunk> chunks = new ArrayList<>(files.cut("Observation", List.of("a", "b")));
        chunks.addAll(files.cut("Observation", List.of("c", "d", "e", "f", "g")));
        chunks.addAll(files.cut("Patient", List.of("p")));
        assertThat(chunks).extracting(Chunk::seq).containsExactly(1, 2, 3, 4, 5);
        assertThat(chunks).extracting(c -> c.type() + "#" + c.part() + ":" + c.lines())
                .containsExactly("Observation#1:2", "Observation#1:1", "Observation#2:3", "Observation#3:1",
                        "Patient#1:1");
        assertThat(chunks.get(2).content()).isEqualTo("d\ne\nf\n");
    }

    @Test
    void aResumedRunContinuesTheFilesWhereTheCommittedChunksLeftThem() {
        ExportFiles files = new ExportFiles(3, List.of(new FileSummary("Observation", 1, 3),
                new FileSummary("Observation", 2, 2)), 7);
        List<Chunk> chunks = files.cut("Observation", List.of("x", "y"));
        assertThat(chunks).extracting(c -> c.seq() + "/" + c.part() + ":" + c.lines())
                .containsExactly("8/2:1", "9/3:1");
    }
}
