package health.meridian.bench.synthea;

import health.meridian.bench.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The bundles of one Synthea output directory: organisations first, then practitioners, then patients by name. */
public record SyntheaDirectory(Path dir, List<SyntheaFile> infoFiles, List<SyntheaFile> patientFiles) {

    public static SyntheaDirectory scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BenchException("BENCH-0201 not a directory: " + dir);
        }
        List<SyntheaFile> all;
        try (Stream<Path> files = Files.list(dir)) {
            all = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().map(SyntheaFile::of).toList();
        } catch (IOException e) {
            throw new BenchException("BENCH-0202 cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<SyntheaFile> info = all.stream().filter(f -> !f.isPatient())
                .sorted(Comparator.comparing(SyntheaFile::kind)).toList();
        List<SyntheaFile> patients = all.stream().filter(SyntheaFile::isPatient).toList();
        if (patients.isEmpty()) {
            throw new BenchException("BENCH-0203 no patient bundles (*.json) in " + dir);
        }
        return new SyntheaDirectory(dir.toAbsolutePath().normalize(), info, patients);
    }
}
