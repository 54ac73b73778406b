package health.meridian.bench.importer;

import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import health.meridian.bench.http.Target;
import health.meridian.bench.http.Tenant;
import health.meridian.bench.synthea.ImportPayload;
import health.meridian.bench.synthea.SyntheaDirectory;
import health.meridian.bench.synthea.SyntheaFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code ./meridian import <dir> [--clients C] [--tenants t=user,...] [--restart]}: imports a Synthea output
 * directory, patients spread over the tenants (file i goes to tenant i mod n), resumable through a journal in
 * {@code $MERIDIAN_STATE/import/}. Exit code 1 when any file failed.
 */
public final class ImportCommand {

    public int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("no-auth", "restart"));
        if (args.positional().size() != 1) {
            throw new BenchException("BENCH-0330 usage: ./meridian import <dir of Synthea bundles> [--clients C]");
        }
        SyntheaDirectory dir = SyntheaDirectory.scan(Path.of(args.positional().get(0)));
        Target target = Target.from(args);
        ImportJournal journal = openJournal(args, dir, target);
        System.out.printf("meridian: import: %d patient bundles (+%d shared) from %s into %s, tenants %s, %d clients%n",
                dir.patientFiles().size(), dir.infoFiles().size(), dir.dir(), target.fhirUrl(),
                target.tenants().stream().map(Tenant::name).toList(), args.intValue("clients", 2));
        if (journal.doneCount() > 0) {
            System.out.printf("meridian: import: resuming: %d files already imported (journal %s)%n",
                    journal.doneCount(), journal.file());
        }
        BundleImporter importer = new BundleImporter(args.intValue("clients", 2), journal,
                new CommitProbe(target.meridian() ? target.appUrl() : null,
                        target.operator()), CommitListener.none(), System.out);
        ImportReport report = importer.run(infoJobs(dir, target), patientJobs(dir, target));
        return summarise(report);
    }

    static List<ImportJob> infoJobs(SyntheaDirectory dir, Target target) {
        List<ImportJob> jobs = new ArrayList<>();
        for (Tenant tenant : target.tenants()) {
            for (SyntheaFile f : dir.infoFiles()) {
                jobs.add(new ImportJob(f, tenant, () -> ImportPayload.read(f.path())));
            }
        }
        return jobs;
    }

    static List<ImportJob> patientJobs(SyntheaDirectory dir, Target target) {
        List<ImportJob> jobs = new ArrayList<>();
        List<SyntheaFile> files = dir.patientFiles();
        for (int i = 0; i < files.size(); i++) {
            SyntheaFile f = files.get(i);
            jobs.add(new ImportJob(f, target.tenants().get(i % target.tenants().size()), () -> ImportPayload.read(f.path())));
        }
        return jobs;
    }

    private static ImportJournal openJournal(Args args, SyntheaDirectory dir, Target target) {
        Path state = Path.of(args.get("state-dir", Args.env("MERIDIAN_STATE_DIR", ".meridian")));
        String key = sha1(dir.dir() + "\n" + target.fhirUrl()).substring(0, 16);
        Path file = state.resolve("import").resolve(dir.dir().getParent().getFileName() + "-" + key + ".journal");
        if (args.has("restart")) {
            file.toFile().delete();
        }
        return ImportJournal.open(file);
    }

    private static int summarise(ImportReport report) {
        System.out.printf("meridian: import: %d patient files imported, %d already there, %d resources in %.1f s "
                        + "(%.0f resources/s)%n", report.patientFiles(), report.skippedFiles(), report.resources(),
                report.seconds(), report.resourcesPerSecond());
        if (report.ok()) {
            return 0;
        }
        System.err.printf("meridian: import: BENCH-0331 %d files failed:%n", report.failures().size());
        report.failures().forEach(f -> System.err.println("  " + f));
        return 1;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
