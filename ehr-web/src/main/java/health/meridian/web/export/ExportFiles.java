package health.meridian.web.export;

import health.meridian.domain.export.ExportJobRepository.Chunk;
import health.meridian.domain.export.ExportJobRepository.FileSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The output files of one run of an export job: per type, the file being filled (part, from 1) and how many
 * resources it holds; cuts a person's lines into chunks so that no file holds more than {@code perFile} resources.
 * Starts from what the job's committed chunks hold (a resumed run continues the files where they stopped).
 */
final class ExportFiles {

    private final int perFile;
    private final Map<String, int[]> open = new HashMap<>();
    private int seq;

    ExportFiles(int perFile, List<FileSummary> committed, int lastSeq) {
        this.perFile = perFile;
        this.seq = lastSeq;
        for (FileSummary f : committed) {
            int[] state = open.get(f.type());
            if (state == null || f.part() > state[0]) {
                open.put(f.type(), new int[] {f.part(), (int) f.lines()});
            }
        }
    }

    /** The chunks of {@code lines} (ndjson lines of one type), numbered after the chunks already cut. */
    List<Chunk> cut(String type, List<String> lines) {
        List<Chunk> chunks = new ArrayList<>();
        int[] state = open.computeIfAbsent(type, t -> new int[] {1, 0});
        int from = 0;
        while (from < lines.size()) {
            if (state[1] >= perFile) {
                state[0]++;
                state[1] = 0;
            }
            int n = Math.min(perFile - state[1], lines.size() - from);
            StringBuilder content = new StringBuilder();
            for (String line : lines.subList(from, from + n)) {
                content.append(line).append('\n');
            }
            chunks.add(new Chunk(++seq, type, state[0], n, content.toString()));
            state[1] += n;
            from += n;
        }
        return chunks;
    }
}
