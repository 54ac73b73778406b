package health.meridian.bench.load;

import health.meridian.bench.BenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes one run into {@code docs/benchmarks.md} between {@code <!-- bench:<label>:begin/end -->} (a rerun with the
 * same label replaces its section, other labels stay) and its chart into {@code docs/img/bench-<label>.svg}.
 */
public record BenchReport(String label, String context, List<ImportResult> imports, List<LatencyStats> latencies,
                          List<String> findings, String rss, String mirror, String commitToSearchable) {

    public void write(Path docs) {
        try {
            Path img = docs.resolve("img").resolve("bench-" + label + ".svg");
            Files.createDirectories(img.getParent());
            Files.writeString(img, SvgChart.render("Latency, " + label + " (ms)", latencies), StandardCharsets.UTF_8);
            Path md = docs.resolve("benchmarks.md");
            String existing = Files.exists(md) ? Files.readString(md) : "# Benchmarks\n";
            Files.writeString(md, replaceSection(existing, markdown()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("BENCH-0530 cannot write the report into " + docs + ": " + e.getMessage(), e);
        }
    }

    String replaceSection(String document, String section) {
        String begin = "<!-- bench:" + label + ":begin -->";
        String end = "<!-- bench:" + label + ":end -->";
        String block = begin + "\n" + section + end;
        int b = document.indexOf(begin);
        int e = document.indexOf(end);
        if (b >= 0 && e > b) {
            return document.substring(0, b) + block + document.substring(e + end.length());
        }
        return document.stripTrailing() + "\n\n" + block + "\n";
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Run: ").append(label).append("\n\n").append(context).append("\n\n");
        md.append("| import | patients | resources | seconds | resources/s | failed files |\n|---|---:|---:|---:|---:|---:|\n");
        for (ImportResult r : imports) {
            md.append(String.format(Locale.ROOT, "| %d client%s | %d | %d | %.1f | **%.0f** | %d |%n", r.clients(),
                    r.clients() == 1 ? "" : "s", r.patients(), r.resources(), r.seconds(), r.resourcesPerSecond(),
                    r.failedFiles()));
        }
        md.append("\n| operation | users | requests | errors | p50 ms | p95 ms | p99 ms | req/s |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LatencyStats s : latencies) {
            md.append(s.measured()
                    ? String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f |%n", s.operation(),
                            s.users(), s.requests(), s.errors(), s.p50(), s.p95(), s.p99(), s.throughput())
                    : "| " + s.operation() + " | – | – | – | – | – | – | – |\n");
        }
        latencies.stream().filter(s -> !s.measured())
                .forEach(s -> md.append("\n- ").append(s.operation()).append(": ").append(s.note()));
        findings.forEach(f -> md.append("\n- ").append(f));
        md.append("\n- App RSS: ").append(rss).append("\n- Mirror freshness: ").append(mirror)
                .append("\n- Commit→searchable: ").append(commitToSearchable).append("\n\n");
        md.append("![latency](img/bench-").append(label).append(".svg)\n\n");
        return md.toString();
    }
}
