package health.meridian.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import health.meridian.bench.synthea.SyntheaDirectory;
import health.meridian.bench.synthea.SyntheaFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;

/**
 * {@code scale --from <synthea fhir dir> --to <dir> --patients N [--seed S]} (behind {@code ./meridian seed
 * --scale-from M}): writes N patient bundles, clone k made from source patient k mod M, plus the shared
 * hospital/practitioner bundles unchanged. Clone files are named {@code c<k>_...} so that, sorted, clone k is the
 * k-th patient file and lands in tenant k mod 2 on import, matching its country (even NL, odd DE).
 */
public final class ScaleCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    public int run(String[] argv) {
        Args args = Args.parse(argv, Set.of());
        SyntheaDirectory source = SyntheaDirectory.scan(Path.of(args.require("from")));
        Path to = Path.of(args.require("to"));
        int patients = args.intValue("patients", 0);
        if (patients < 1) {
            throw new BenchException("BENCH-0410 --patients must be at least 1");
        }
        PopulationScaler scaler = new PopulationScaler(args.intValue("seed", 42));
        try {
            Files.createDirectories(to);
            for (SyntheaFile info : source.infoFiles()) {
                Files.copy(info.path(), to.resolve(info.name()), StandardCopyOption.REPLACE_EXISTING);
            }
            writeClones(source.patientFiles(), to, patients, scaler);
        } catch (IOException e) {
            throw new BenchException("BENCH-0411 cannot write clones into " + to + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private static void writeClones(List<SyntheaFile> sources, Path to, int patients, PopulationScaler scaler)
            throws IOException {
        boolean terminal = System.console() != null;
        long lastLine = System.nanoTime();
        for (int k = 0; k < patients; k++) {
            ObjectNode source = (ObjectNode) JSON.readTree(sources.get(k % sources.size()).path().toFile());
            ObjectNode clone = scaler.clone(source, k);
            String id = clone.path("entry").get(0).path("resource").path("id").asText("patient");
            JSON.writeValue(to.resolve(String.format("c%07d_%s.json", k, id)).toFile(), clone);
            // redrawn in place in a terminal; in a log (CI, nohup) one line every 5 seconds and the last one
            if (terminal) {
                System.out.printf("\rmeridian: seed: cloned %d/%d patients", k + 1, patients);
            } else if (System.nanoTime() - lastLine > 5_000_000_000L || k + 1 == patients) {
                System.out.printf("meridian: seed: cloned %d/%d patients%n", k + 1, patients);
                lastLine = System.nanoTime();
            }
        }
        if (terminal) {
            System.out.println();
        }
    }
}
