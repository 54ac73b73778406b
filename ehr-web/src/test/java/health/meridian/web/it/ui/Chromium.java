package health.meridian.web.it.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The machine's Chromium (Debian's /usr/bin/chromium) driven by Playwright for Java; Playwright's own browser
 * download is blocked here, so it is switched off. Screenshots go to target/screenshots. Also what every browser
 * test does the same way: sign in through Keycloak's login page, find buttons by their accessible name, wait for
 * an element with a screenshot and the page text on failure.
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Paths.get(System.getProperty("meridian.test.chromium", "/usr/bin/chromium"));
    /** How long an element may take to appear. */
    static final double TIMEOUT = 20_000;
    /** Keycloak renders its first login page slowly on a busy 2-core machine (theme compilation). */
    static final double SIGN_IN_TIMEOUT = 60_000;

    private final Playwright playwright;
    final Browser browser;

    Chromium() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")));
    }

    static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    static Path screenshot(Page page, String name) {
        Path dir = Paths.get(System.getProperty("meridian.test.screenshots", "target/screenshots"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path file = dir.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    /** Keycloak renders its first login page slowly (theme compilation): render one before a browser needs it. */
    static void warmUpKeycloakLoginPage() throws IOException, InterruptedException {
        URI auth = URI.create(ChartData.issuer() + "/protocol/openid-connect/auth?client_id=meridian-web"
                + "&response_type=code&scope=openid&redirect_uri=" + ChartData.enc("http://127.0.0.1/warm-up"));
        ChartData.HTTP.send(HttpRequest.newBuilder(auth).timeout(Duration.ofSeconds(90)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** Opens the app at {@code app}, lands on Keycloak's own login page (PKCE S256), signs in, is back in the app. */
    static void signIn(Page page, String app, String username) {
        signIn(page, app, username, SIGN_IN_TIMEOUT);
    }

    static void signIn(Page page, String app, String username, double timeout) {
        page.onConsoleMessage(m -> System.out.println("browser console: " + m.type() + " " + m.text()));
        page.onPageError(e -> System.out.println("browser error: " + e));
        page.navigate(app + "/");
        waitVisible(page.locator("#username"), "Keycloak's login page", timeout);
        assertThat(page.url()).contains("/realms/meridian/protocol/openid-connect/auth")
                .contains("code_challenge_method=S256");
        submitLogin(page, username, page.locator(".app-header"), "the app after sign-in", timeout);
        assertThat(page.url()).startsWith(app);
    }

    /**
     * Submits Keycloak's login form as a demo user (password "meridian") and waits until {@code landed} shows. Keycloak's
     * blocking brute-force protector can refuse a correct login while it still books the same user's previous one, and
     * its login page then says "Invalid username or password." as for a wrong password (see
     * {@code TestStack.passwordGrant}): the form is submitted again then, 4 times at most. A wrong password still fails.
     */
    static void submitLogin(Page page, String username, Locator landed, String what, double timeout) {
        Locator refused = page.locator("#input-error-username");
        for (int attempt = 1; attempt <= 4; attempt++) {
            page.locator("#username").fill(username);
            page.locator("#password").fill("meridian");
            page.locator("#kc-login").click();
            try {
                landed.or(refused).first().waitFor(new Locator.WaitForOptions().setTimeout(timeout));
            } catch (RuntimeException e) {
                break; // waitVisible below reports what the browser shows
            }
            if (landed.first().isVisible() || !refused.isVisible()) {
                break;
            }
            System.out.println("Keycloak refused the sign-in of " + username + " (attempt " + attempt + "): "
                    + refused.innerText().strip());
            page.evaluate("() => document.getElementById('input-error-username')?.remove()");
            page.waitForTimeout(500.0 * attempt);
        }
        waitVisible(landed, what, timeout);
    }

    /** The button with exactly this accessible name. */
    static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    static void waitVisible(Locator locator, String what) {
        waitVisible(locator, what, TIMEOUT);
    }

    /** Waits for an element; on failure saves a screenshot and reports where the browser was and what it showed. */
    static void waitVisible(Locator locator, String what, double timeout) {
        Page page = locator.page();
        try {
            locator.waitFor(new Locator.WaitForOptions().setTimeout(timeout));
        } catch (RuntimeException e) {
            Path shot = screenshot(page, "failure-" + what.replaceAll("\\W+", "-"));
            String text = page.locator("body").innerText();
            throw new AssertionError("not shown: " + what + " (at " + page.url() + ", screenshot " + shot + "): "
                    + text.substring(0, Math.min(600, text.length())), e);
        }
    }

    /** For Playwright's text assertions: wait as long as {@link #waitVisible} does. */
    static LocatorAssertions.ContainsTextOptions slow() {
        return new LocatorAssertions.ContainsTextOptions().setTimeout(TIMEOUT);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
