package health.meridian.bench.load;

import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import health.meridian.bench.http.Target;
import health.meridian.bench.importer.CommitProbe;
import health.meridian.bench.synthea.SyntheaDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./meridian bench [--data DIR] [--patients K] [--users U] [--warmup W] [--requests R] [--repetitions N]
 * [--label L] [--freshness-samples N] [--large-record FAMILY] [--cohort-index-date D] [--tenants t=user,...] [--admins t=user,...]
 * [--fhir-url URL (--token T | --no-auth)]}: the same workload against local Meridian or any FHIR R4 server:
 * Synthea import with 1 and 2 clients, reads, searches, $everything, commit→searchable; on Meridian also the
 * timeline's first page and cohort counts; writes docs/benchmarks.md and the chart.
 */
public final class BenchCommand {

    public int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("no-auth"));
        Target target = Target.from(args);
        SyntheaDirectory data = SyntheaDirectory.scan(Path.of(args.get("data", defaultData())));
        String label = args.get("label", target.meridian() ? "meridian" : "other");
        // --rss-pid-file: the server process to sample when it is not the local Meridian (e.g. .meridian/hapi/run/hapi.pid)
        String pidFile = args.get("rss-pid-file", target.meridian()
                ? Path.of(Args.env("MERIDIAN_STATE_DIR", ".meridian"), "run", "app.pid").toString() : null);
        Optional<RssSampler> rss = pidFile == null ? Optional.empty() : RssSampler.forPidFile(Path.of(pidFile));
        String rssBefore = rss.flatMap(r -> r.currentMib().isPresent() ? Optional.of(r.currentMib().getAsLong() + " MiB") : Optional.empty())
                .orElse("n/a");
        String load = loadAverage();

        ImportWorkload imports = new ImportWorkload(data, target, args.intValue("patients", 6));
        Map<String, Integer> tenantIndex = new HashMap<>();
        for (int i = 0; i < target.tenants().size(); i++) {
            tenantIndex.put(target.tenants().get(i).name(), i);
        }
        SampleCollector samples = new SampleCollector(tenantIndex);
        List<ImportResult> importResults = new ArrayList<>();
        System.out.println("meridian: bench: import, 1 client, " + imports.patients() + " patients");
        importResults.add(imports.run(1, 0, samples));
        System.out.println("meridian: bench: import, 2 clients, " + imports.patients() + " patients (other clones)");
        importResults.add(imports.run(2, imports.patients(), samples));
        String mirror = mirrorFreshness(target);
        if (samples.samples().isEmpty()) {
            throw new BenchException("BENCH-0540 no patient was imported: nothing to read or search");
        }
        LoadRunner runner = new LoadRunner(args.intValue("users", 4), args.intValue("warmup", 20),
                args.intValue("requests", 200), args.intValue("repetitions", 3));
        List<String> findings = new ArrayList<>();
        List<LatencyStats> latencies = measure(args, target, samples.samples(), runner, findings);
        String commitToSearchable = new FreshnessWorkload(target, samples.samples(),
                args.intValue("freshness-samples", 50)).run();
        String rssText = rss.map(r -> "before " + rssBefore + ", peak " + r.peakMib().orElse(-1) + " MiB, after "
                + r.currentMib().orElse(-1) + " MiB (VmRSS of " + (target.meridian() ? "the Payara process" : pidFile) + ")")
                .orElse("n/a (not a local Meridian; --rss-pid-file names another server's pid file)");
        rss.ifPresent(RssSampler::close);
        String context = context(args, target, data, imports, load);
        new BenchReport(label, context, importResults, latencies, findings, rssText, mirror, commitToSearchable)
                .write(Path.of(Args.env("MERIDIAN_DOCS_DIR", "docs")));
        importResults.forEach(r -> System.out.printf(Locale.ROOT, "meridian: bench: import %d client(s): %.0f resources/s%n",
                r.clients(), r.resourcesPerSecond()));
        latencies.forEach(s -> System.out.println("meridian: bench: " + s));
        findings.forEach(f -> System.out.println("meridian: bench: " + f));
        System.out.println("meridian: bench: commit→searchable: " + commitToSearchable);
        return importResults.stream().anyMatch(r -> r.failedFiles() > 0) ? 1 : 0;
    }

    /** Reads, searches and the timeline over the imported patients, then the cohort counts. */
    private static List<LatencyStats> measure(Args args, Target target, List<PatientSample> samples, LoadRunner runner,
                                              List<String> findings) {
        ReadWorkload reads = new ReadWorkload(target, samples, runner, args.get("large-record", null));
        List<LatencyStats> latencies = new ArrayList<>(reads.run());
        findings.addAll(reads.notes());
        if (target.apis().isEmpty()) {
            latencies.add(LatencyStats.skipped("cohort count", LatencyStats.NOT_MERIDIAN));
            return latencies;
        }
        CohortWorkload cohorts = new CohortWorkload(target.apis(), runner,
                LocalDate.parse(args.get("cohort-index-date", "2026-01-01")));
        latencies.addAll(cohorts.run());
        findings.addAll(cohorts.notes());
        return latencies;
    }

    private static String defaultData() {
        return Path.of(Args.env("MERIDIAN_STATE_DIR", ".meridian"), "synthea", "30-42", "fhir").toString();
    }

    /** Seconds from the end of the import until Meridian's outbox is empty (every write searchable). */
    private static String mirrorFreshness(Target target) {
        if (!target.meridian()) {
            return "n/a (not Meridian)";
        }
        CommitProbe probe = new CommitProbe(target.appUrl(), target.operator());
        long start = System.nanoTime();
        long depth = probe.outboxDepth();
        probe.waitForMirror();
        return String.format(Locale.ROOT, "outbox depth %d at the end of the import, empty %.1f s later", depth,
                (System.nanoTime() - start) / 1e9);
    }

    private static String context(Args args, Target target, SyntheaDirectory data, ImportWorkload imports, String load) {
        return String.format(Locale.ROOT, "%s · %s · data: the %d smallest patient bundles of `%s`, cloned with fresh "
                        + "identities per run · tenants %s · %s users, warm-up %s, %s requests × %s repetitions · "
                        + "load average at start: %s",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), target.fhirUrl(),
                imports.patients(), data.dir().getParent().getFileName(),
                callers(target), args.get("users", "4"),
                args.get("warmup", "20"), args.get("requests", "200"), args.get("repetitions", "3"), load);
    }

    /** The tenants, and on Meridian who acts in them: the clinician (FHIR, timeline) and the tenant admin (cohorts). */
    private static String callers(Target target) {
        if (target.apis().isEmpty()) {
            return target.tenants().stream().map(t -> t.name()).toList().toString();
        }
        return target.apis().stream().map(a -> a.tenant() + " as " + a.clinician().user()
                + a.admin().map(admin -> " (cohorts: " + admin.user() + ")").orElse("")).toList().toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " (1 min), "
                    + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
