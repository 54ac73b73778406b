package health.meridian.bench.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import health.meridian.bench.http.Target;
import health.meridian.bench.http.Tenant;
import health.meridian.bench.synthea.SyntheaDirectory;
import health.meridian.bench.synthea.SyntheaFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ./meridian import <dir> [--tenants t=user,...] [--import-dir D] [--restart] [--validation]}: a Synthea output directory
 * through the bulk engine ({@code $import}). Per tenant, the shared hospital and practitioner bundles and that
 * tenant's patient bundles (file i goes to tenant i mod n) are flattened into one ndjson file per resource type in
 * the server's import directory (this machine's: {@code $MERIDIAN_STATE/import-dir}); one job per tenant resolves
 * urn:uuid and conditional references across all its bundles. The job URL is kept next to the files, so a second
 * run (after a crash of this command or of the server) follows the same job — the server resumes it from its last
 * committed chunk — instead of importing twice. Progress: one redrawn line in a terminal, one line every 5 s
 * otherwise. Then waits until the search mirror caught up and reports committed and searchable rates; with
 * {@code --validation} also until every job's background validation is complete, and reports its rate.
 */
public final class BulkImportCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Job(Tenant tenant, String poll, long lines) {
    }

    public int run(String[] argv) {
        Args args = Args.parse(argv, Set.of("no-auth", "restart", "validation"));
        if (args.positional().size() != 1) {
            throw new BenchException("BENCH-0330 usage: ./meridian import <dir of Synthea bundles>");
        }
        SyntheaDirectory dir = SyntheaDirectory.scan(Path.of(args.positional().get(0)));
        Target target = Target.from(args);
        Path importDir = Path.of(args.get("import-dir", Args.env("MERIDIAN_IMPORT_DIR",
                Args.env("MERIDIAN_STATE_DIR", ".meridian") + "/import-dir")));
        PrintStream out = System.out;
        long start = System.nanoTime();
        List<Job> jobs = new ArrayList<>();
        for (int t = 0; t < target.tenants().size(); t++) {
            jobs.add(job(dir, target, t, importDir, args.has("restart"), out));
        }
        long flattened = System.nanoTime();
        out.printf("meridian: import: %d job(s) started, %d lines, flattening took %.1f s%n", jobs.size(),
                jobs.stream().mapToLong(Job::lines).sum(), (flattened - start) / 1e9);
        long[] totals = follow(jobs, out, System.console() != null, flattened);
        double loadSeconds = (System.nanoTime() - flattened) / 1e9;
        long fresh = totals[0] - totals[2];
        out.printf("meridian: import: %d resources committed (%d by this run) in %.1f s (%.0f resources/s),"
                + " %d lines refused%n", totals[0], fresh, loadSeconds, fresh / loadSeconds, totals[1]);
        waitForMirror(new CommitProbe(target.appUrl(), target.operator()), out, System.console() != null, flattened);
        double searchSeconds = (System.nanoTime() - flattened) / 1e9;
        if (!args.has("validation")) {
            out.printf("meridian: import: searchable after %.1f s (%.0f resources/s); background validation continues"
                    + " (see each job's manifest, or rerun with --validation)%n", searchSeconds, fresh / searchSeconds);
            return totals[1] == 0 ? 0 : 1;
        }
        out.printf("meridian: import: searchable after %.1f s (%.0f resources/s)%n", searchSeconds,
                fresh / searchSeconds);
        long searchable = System.nanoTime();
        long[] validated = waitForValidation(jobs, out, System.console() != null, searchable);
        double validationSeconds = (System.nanoTime() - searchable) / 1e9;
        out.printf("meridian: import: validated %d resources in %.1f s after they were searchable (%.0f resources/s),"
                + " %d quarantined%n", validated[0], validationSeconds, validated[0] / Math.max(validationSeconds,
                1e-9), validated[1]);
        return totals[1] == 0 ? 0 : 1;
    }

    private Job job(SyntheaDirectory dir, Target target, int index, Path importDir, boolean restart,
                    PrintStream out) {
        Tenant tenant = target.tenants().get(index);
        String run = dir.dir().getParent().getFileName() + "-" + tenant.name();
        Path files = importDir.resolve(run);
        Path journal = files.resolve("job.url");
        try {
            if (Files.exists(journal) && !restart) {
                out.printf("meridian: import: %s: following job %s%n", tenant.name(), Files.readString(journal).trim());
                return new Job(tenant, Files.readString(journal).trim(), -1);
            }
            Files.createDirectories(files);
            Map<String, Long> counts = flatten(dir, target, index, files);
            StringBuilder p = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                    + "\"inputFormat\",\"valueCode\":\"application/fhir+ndjson\"}");
            counts.keySet().forEach(type -> p.append(",{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueCode\":\"")
                    .append(type).append("\"},{\"name\":\"url\",\"valueUri\":\"").append(run).append('/')
                    .append(type).append(".ndjson\"}]}"));
            HttpResponse<String> r = tenant.client().exchange("POST", "$import", "application/fhir+json",
                    p.append("]}").toString());
            String poll = r.headers().firstValue("Content-Location").orElseThrow(() -> new BenchException(
                    "BENCH-0341 $import answered " + r.statusCode() + ": " + r.body()));
            Files.writeString(journal, poll + "\n");
            out.printf("meridian: import: %s: job %s (%d types)%n", tenant.name(), poll, counts.size());
            return new Job(tenant, poll, counts.values().stream().mapToLong(Long::longValue).sum());
        } catch (IOException e) {
            throw new BenchException("BENCH-0342 writing the ndjson files to " + files + ": " + e.getMessage(), e);
        }
    }

    /** The tenant's bundles as one ndjson file per type; ids from the entries' urn:uuid full URLs. */
    static Map<String, Long> flatten(SyntheaDirectory dir, Target target, int index, Path files) throws IOException {
        Map<String, BufferedWriter> writers = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        List<SyntheaFile> mine = new ArrayList<>(dir.infoFiles());
        for (int i = 0; i < dir.patientFiles().size(); i++) {
            if (i % target.tenants().size() == index) {
                mine.add(dir.patientFiles().get(i));
            }
        }
        try {
            for (SyntheaFile f : mine) {
                for (JsonNode entry : JSON.readTree(f.path().toFile()).path("entry")) {
                    ObjectNode resource = (ObjectNode) entry.path("resource");
                    String full = entry.path("fullUrl").asText("");
                    if (!resource.hasNonNull("id") && full.startsWith("urn:uuid:")) {
                        resource.put("id", full.substring("urn:uuid:".length()));
                    }
                    String type = resource.path("resourceType").asText();
                    BufferedWriter w = writers.computeIfAbsent(type, k -> open(files.resolve(k + ".ndjson")));
                    w.write(resource.toString());
                    w.write('\n');
                    counts.merge(type, 1L, Long::sum);
                }
            }
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        return counts;
    }

    private static BufferedWriter open(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("BENCH-0342 " + file + ": " + e.getMessage(), e);
        }
    }

    /** Polls every job until loaded; returns {committed, refused, committed before this run followed them}. */
    private long[] follow(List<Job> jobs, PrintStream out, boolean terminal, long since) {
        StatusLine status = new StatusLine(out, terminal);
        long before = -1;
        while (true) {
            long committed = 0;
            long refused = 0;
            int loaded = 0;
            for (Job j : jobs) {
                HttpResponse<String> r = j.tenant().client().exchange("GET", relative(j.poll()), null, null);
                if (r.statusCode() == 200) {
                    JsonNode manifest = read(r.body());
                    for (JsonNode o : manifest.path("output")) {
                        committed += o.path("count").asLong();
                    }
                    refused += manifest.path("error").path(0).path("count").asLong();
                    loaded++;
                } else if (r.statusCode() == 202) {
                    long[] progress = progress(r.headers().firstValue("X-Progress").orElse(""));
                    committed += progress[0];
                    refused += progress[1];
                } else {
                    throw new BenchException("BENCH-0343 job " + j.poll() + " answered " + r.statusCode() + ": "
                            + r.body());
                }
            }
            if (before < 0) {
                before = committed; // a followed job (a rerun after a crash) has committed before
            }
            double seconds = (System.nanoTime() - since) / 1e9;
            String line = String.format("jobs %d/%d loaded, %d resources committed, %.0f resources/s, %d refused,"
                    + " %.0f s", loaded, jobs.size(), committed, (committed - before) / Math.max(seconds, 1e-9),
                    refused, seconds);
            status.show(line, loaded == jobs.size());
            if (loaded == jobs.size()) {
                return new long[] {committed, refused, before};
            }
            pause(500);
        }
    }

    /**
     * Waits (without a deadline: a large load leaves a backlog of hours) until the outbox is empty, i.e. the search
     * mirror holds everything committed; shows the depth like the load's progress.
     */
    private static void waitForMirror(CommitProbe probe, PrintStream out, boolean terminal, long since) {
        StatusLine status = new StatusLine(out, terminal);
        long depth;
        while ((depth = probe.outboxDepth()) != 0) {
            status.show(String.format("search mirror: %s events to ship, %.0f s", depth < 0 ? "?" : depth,
                    (System.nanoTime() - since) / 1e9), false);
            pause(1000);
        }
        status.end();
    }

    /** A progress line: redrawn in place in a terminal; otherwise one line every 5 s, and the last one. */
    private static final class StatusLine {
        private final PrintStream out;
        private final boolean terminal;
        private long lastLine;

        StatusLine(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        void show(String line, boolean last) {
            if (terminal) {
                out.print("\r" + line);
                if (last) {
                    out.println();
                }
            } else if (last || lastLine == 0 || System.nanoTime() - lastLine > 5_000_000_000L) {
                out.println("meridian: import: " + line);
                lastLine = System.nanoTime();
            }
        }

        /** After lines that were never marked last: a terminal's line is ended. */
        void end() {
            if (terminal) {
                out.println();
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("BENCH-0343 interrupted", e);
        }
    }

    /**
     * With {@code --validation}: follows every job's background validation (its manifest's validation extension)
     * until all are complete; returns {validated, quarantined}. The rate it prints is the asynchronous validation's.
     */
    private long[] waitForValidation(List<Job> jobs, PrintStream out, boolean terminal, long since) {
        StatusLine status = new StatusLine(out, terminal);
        while (true) {
            long validated = 0;
            long quarantined = 0;
            int complete = 0;
            for (Job j : jobs) {
                HttpResponse<String> r = j.tenant().client().exchange("GET", relative(j.poll()), null, null);
                if (r.statusCode() != 200) {
                    throw new BenchException("BENCH-0344 job " + j.poll() + " answered " + r.statusCode() + ": "
                            + r.body());
                }
                JsonNode v = read(r.body()).path("extension")
                        .path("https://meridian.health/fhir/StructureDefinition/import-validation");
                validated += v.path("validated").asLong();
                quarantined += v.path("quarantined").asLong();
                complete += "complete".equals(v.path("status").asText()) ? 1 : 0;
            }
            String line = String.format("background validation: jobs %d/%d complete, %d resources validated, %d"
                    + " quarantined, %.0f s", complete, jobs.size(), validated, quarantined,
                    (System.nanoTime() - since) / 1e9);
            status.show(line, complete == jobs.size());
            if (complete == jobs.size()) {
                return new long[] {validated, quarantined};
            }
            pause(1000);
        }
    }

    /** "loading: 1200 resources stored, 3 lines refused" → {1200, 3}. */
    static long[] progress(String header) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) resources stored, (\\d+) lines refused")
                .matcher(header);
        return m.find() ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))} : new long[] {0, 0};
    }

    private static String relative(String poll) {
        return poll.substring(poll.indexOf("/fhir/") + "/fhir/".length());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new BenchException("BENCH-0343 manifest is not JSON: " + e.getMessage(), e);
        }
    }
}
