package health.meridian.bench.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import health.meridian.bench.Args;
import health.meridian.bench.BenchException;
import health.meridian.bench.load.LatencyStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./meridian bench-ui --family F [--user U] [--runs N] [--warmup W]}: time to first timeline paint in the
 * machine's Chromium (issue #6). Signs in through Keycloak like a clinician, finds the patient by family name in
 * "My patients" search (by name), then N times: from the patient list, switch to the chart route and measure in the page,
 * from the route change ({@code performance.now()} just before the hash changes) to the first animation frame
 * after the first timeline entry is in the DOM — what the clinician sees, including the requests the chart makes
 * (patient, timeline page, summary) and rendering. Prints each run, p50, p95, the entry count the page shows, and
 * saves a screenshot of the last run.
 */
public final class FirstPaintCommand {

    private static final String MEASURE = """
            ([route, timeoutMs]) => new Promise((resolve, reject) => {
              const t0 = performance.now();
              location.hash = route;
              const give = setTimeout(() => reject(new Error('no timeline entry within ' + timeoutMs + ' ms')), timeoutMs);
              const check = () => {
                const entry = document.querySelector('.timeline li.entry');
                if (entry) {
                  requestAnimationFrame(() => { clearTimeout(give);
                    resolve({ ms: performance.now() - t0,
                              entries: document.querySelectorAll('.timeline li.entry').length }); });
                } else {
                  requestAnimationFrame(check);
                }
              };
              check();
            })""";

    public int run(String[] argv) {
        Args args = Args.parse(argv, java.util.Set.of());
        String family = args.require("family");
        String user = args.get("user", "dr.jansen");
        int runs = args.intValue("runs", 20);
        int warmup = args.intValue("warmup", 3);
        String app = Args.env("MERIDIAN_APP_URL", "http://127.0.0.1:8080");
        Path chromium = Paths.get(args.get("chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new BenchException("BENCH-0301 no Chromium at " + chromium + " (apt-get install chromium)");
        }
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                     .setHeadless(true).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu")))) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
            page.navigate(app + "/");
            page.locator("#username").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(90_000));
            page.locator("#username").fill(user);
            page.locator("#password").fill(args.get("password", "meridian"));
            page.locator("#kc-login").click();
            page.locator(".app-header").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(90_000));
            String patientId = findPatient(page, family);
            String route = "#/patients/" + patientId;
            List<Double> times = new ArrayList<>();
            int entries = 0;
            for (int i = 0; i < warmup + runs; i++) {
                page.evaluate("() => { location.hash = '#/patients'; }");
                page.locator("h1:has-text('My patients')").waitFor();
                page.waitForTimeout(500);
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) page.evaluate(MEASURE, List.of(route, 30_000));
                double ms = ((Number) r.get("ms")).doubleValue();
                entries = ((Number) r.get("entries")).intValue();
                if (i >= warmup) {
                    times.add(ms);
                    System.out.printf(Locale.ROOT, "run %d: %.0f ms (%d entries on screen)%n", i - warmup + 1, ms, entries);
                }
            }
            Path shot = Paths.get(Args.env("MERIDIAN_DOCS_DIR", "docs"), "img", "first-paint-" + family + ".png");
            Files.createDirectories(shot.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(shot));
            double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "first timeline paint, patient %s (%s), %d runs after %d warm-up: "
                            + "p50 %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms; %d entries on the first screen; "
                            + "screenshot %s%n", family, patientId, runs, warmup, LatencyStats.percentile(sorted, 50),
                    LatencyStats.percentile(sorted, 95), sorted[0], sorted[sorted.length - 1], entries, shot);
            return 0;
        } catch (java.io.IOException e) {
            throw new BenchException("BENCH-0302 " + e.getMessage());
        }
    }

    /** Uses the app's own patient search, as a clinician would; the first result's chart link gives the id. */
    private static String findPatient(Page page, String family) {
        page.evaluate("f => { location.hash = '#/patients?name=' + encodeURIComponent(f); }", family);
        var link = page.locator("tr[data-patient] a[href^='#/patients/']").first();
        link.waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(60_000));
        String href = link.getAttribute("href");
        String id = href.substring("#/patients/".length()).replaceAll("[?/].*$", "");
        if (id.isBlank()) {
            throw new BenchException("BENCH-0303 no patient '" + family + "' in My patients");
        }
        return id;
    }

}
