package health.meridian.web.it.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Time to first timeline paint in Chromium, against a running stack (docs/benchmarks.md, "Browser app"): signs in
 * through Keycloak, then opens the patient's chart N times from the patient list and reads the app's performance
 * marks (timeline-start when the chart route starts, timeline-first-paint in the frame after the first timeline page
 * is in the DOM) and the Resource Timing of the timeline request.
 *
 * <pre>java -cp "$(cat cp.txt):ehr-web/target/test-classes" health.meridian.web.it.ui.FirstPaintProbe
 *     http://127.0.0.1:8080 PATIENT_ID [runs] [user]</pre>
 */
public final class FirstPaintProbe {

    private FirstPaintProbe() {
    }

    public static void main(String[] args) {
        String app = args[0].replaceAll("/$", "");  // use 127.0.0.1 or localhost: PKCE needs a secure context
        String patient = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String user = args.length > 3 ? args[3] : "dr.jansen";
        try (Chromium chromium = new Chromium()) {
            Page page = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))
                    .newPage();
            page.navigate(app + "/");
            page.locator("#username").fill(user);
            page.locator("#password").fill("meridian");
            page.locator("#kc-login").click();
            page.locator(".app-header").waitFor();
            List<Double> paint = new ArrayList<>();
            List<Double> api = new ArrayList<>();
            long total = -1;
            for (int i = 0; i < runs; i++) {
                page.evaluate("() => { performance.clearResourceTimings(); location.hash = '#/patients'; }");
                page.locator(".patients").waitFor();
                page.evaluate("id => { location.hash = '#/patients/' + id; }", patient);
                page.waitForFunction("() => performance.getEntriesByName('timeline-first-paint').length > 0");
                paint.add(((Number) page.evaluate("() => performance.getEntriesByName('timeline-first-paint')[0]"
                        + ".startTime - performance.getEntriesByName('timeline-start')[0].startTime")).doubleValue());
                api.add(((Number) page.evaluate("() => { const r = performance.getEntriesByType('resource')"
                        + ".find(e => e.name.includes('/timeline?')); return r ? r.duration : -1; }")).doubleValue());
                String status = page.locator(".timeline-head [role=status]").textContent();
                total = Long.parseLong(status.replaceAll(".* of (\\d+) entries.*", "$1"));
            }
            System.out.printf(Locale.ROOT, "patient %s, %d entries, %d runs%n", patient, total, runs);
            System.out.printf(Locale.ROOT, "first timeline paint ms: %s%n", summary(paint));
            System.out.printf(Locale.ROOT, "timeline API request ms: %s%n", summary(api));
        }
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double p95 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1));
        return String.format(Locale.ROOT, "min %.0f, median %.0f, p95 %.0f, max %.0f", sorted.get(0), median, p95,
                sorted.get(sorted.size() - 1));
    }
}
