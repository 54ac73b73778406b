package health.meridian.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.BenchException;
import health.meridian.bench.http.Target;
import health.meridian.bench.importer.BundleImporter;
import health.meridian.bench.importer.CommitProbe;
import health.meridian.bench.importer.ImportJob;
import health.meridian.bench.importer.ImportJournal;
import health.meridian.bench.importer.ImportReport;
import health.meridian.bench.scale.PopulationScaler;
import health.meridian.bench.synthea.ImportPayload;
import health.meridian.bench.synthea.SyntheaDirectory;
import health.meridian.bench.synthea.SyntheaFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The import part of the benchmark: the {@code patients} smallest Synthea patient bundles, cloned with fresh
 * identities for every run (so reruns never collide with data already on the server), imported once with 1 client
 * and once more (other clones of the same bundles, so the same work) with 2 clients.
 */
public final class ImportWorkload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyntheaDirectory source;
    private final Target target;
    private final List<SyntheaFile> chosen;
    private final PopulationScaler scaler = new PopulationScaler(System.currentTimeMillis());

    public ImportWorkload(SyntheaDirectory source, Target target, int patients) {
        this.source = source;
        this.target = target;
        this.chosen = source.patientFiles().stream()
                .sorted(Comparator.comparingLong((SyntheaFile f) -> f.path().toFile().length()).thenComparing(SyntheaFile::name))
                .limit(patients).toList();
    }

    public int patients() {
        return chosen.size();
    }

    public ImportResult run(int clients, int cloneOffset, SampleCollector collector) {
        List<ImportJob> info = new ArrayList<>();
        for (var tenant : target.tenants()) {
            source.infoFiles().forEach(f -> info.add(new ImportJob(f, tenant, () -> ImportPayload.read(f.path()))));
        }
        List<ImportJob> jobs = new ArrayList<>();
        for (int k = 0; k < chosen.size(); k++) {
            int cloneIndex = cloneOffset + k;
            ImportPayload payload = ImportPayload.of(scaler.clone(read(chosen.get(k)), cloneIndex));
            var tenant = target.tenants().get(cloneIndex % target.tenants().size());
            jobs.add(new ImportJob(chosen.get(k), tenant, () -> payload));
        }
        CommitProbe probe = new CommitProbe(target.meridian() ? target.appUrl() : null, target.operator());
        ImportReport report = new BundleImporter(clients, ImportJournal.inMemory(), probe, collector, System.out)
                .run(info, jobs);
        report.failures().forEach(f -> System.err.println("meridian: bench: import failed: " + f));
        return new ImportResult(clients, report.patientFiles(), report.resources(), report.seconds(),
                report.failures().size());
    }

    private static ObjectNode read(SyntheaFile file) {
        try {
            return (ObjectNode) JSON.readTree(file.path().toFile());
        } catch (IOException e) {
            throw new BenchException("BENCH-0520 cannot read " + file.path() + ": " + e.getMessage(), e);
        }
    }
}
