package health.meridian.web.it.ui;

import static health.meridian.web.it.ui.Chromium.button;
import static health.meridian.web.it.ui.Chromium.signIn;
import static health.meridian.web.it.ui.Chromium.waitVisible;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Users screen in real Chromium: the tenant admin of nl-amstel sees their institution's staff, a taken username
 * is refused at the username field, a clinician is created with a temporary password; that clinician signs in
 * through Keycloak (choosing their own password there) and lands in the app as a clinician of Amstel; the admin
 * disables the account.
 */
@ExtendWith(ArquillianExtension.class)
class UserAdminAppIT {

    private static final double SIGN_IN_TIMEOUT = 90_000;
    private static Chromium chromium;

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    @BeforeAll
    static void browser() {
        Assumptions.assumeTrue(Chromium.available(), "no Chromium at " + Chromium.EXECUTABLE);
        chromium = new Chromium();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void tenantAdminCreatesAClinicianWhoThenSignsIn() throws Exception {
        String app = TestStack.app(base);
        TestStack.ensureTenants(app);
        String username = "dr.ui-" + UUID.randomUUID().toString().substring(0, 6);
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page page = context.newPage();
            signIn(page, app, "admin.amstel", SIGN_IN_TIMEOUT);
            page.locator("nav.app-nav a", new Page.LocatorOptions().setHasText("Users")).click();
            waitVisible(page.locator("tr[data-username='dr.jansen']"), "Amstel's staff in the list");
            assertThat(page.locator("tr[data-username='dr.mueller']").count()).as("Spree's staff").isZero();

            fillForm(page, "dr.jansen", "not-jansen@amstel.example.nl", "Temp-pass-123");
            button(page, "Create user").click();
            Locator usernameError = page.locator("#" + page.getByLabel("Username", new Page.GetByLabelOptions()
                    .setExact(true)).getAttribute("id") + "-error");
            PlaywrightAssertions.assertThat(usernameError).containsText("cannot be used", Chromium.slow());
            Chromium.screenshot(page, "users-01-taken-username-1280");

            fillForm(page, username, username + "@amstel.example.nl", "Temp-pass-123");
            button(page, "Create user").click();
            PlaywrightAssertions.assertThat(page.locator(".form-status")).containsText(username + " was created",
                    Chromium.slow());
            Locator row = page.locator("tr[data-username='" + username + "']");
            waitVisible(row, "the new user in the list");
            assertThat(row.locator("select").inputValue()).isEqualTo("clinician");
            Chromium.screenshot(page, "users-02-created-1280");

            try (BrowserContext second = chromium.browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(1280, 900))) {
                Page newcomer = second.newPage();
                firstSignIn(newcomer, app, username, "Temp-pass-123", "Own-pass-456");
                PlaywrightAssertions.assertThat(newcomer.locator(".who-am-i")).containsText("clinician",
                        Chromium.slow());
                PlaywrightAssertions.assertThat(newcomer.locator(".who-am-i")).containsText("Amstel", Chromium.slow());
                Chromium.screenshot(newcomer, "users-03-new-clinician-signed-in-1280");
            }

            button(page, "Disable " + username).click();
            PlaywrightAssertions.assertThat(row).containsText("Disabled", Chromium.slow());
            Chromium.screenshot(page, "users-04-disabled-1280");
        }
    }

    private static void fillForm(Page page, String username, String email, String password) {
        page.getByLabel("Username", new Page.GetByLabelOptions().setExact(true)).fill(username);
        page.getByLabel("First name").fill("Noor");
        page.getByLabel("Last name").fill("El Amrani");
        page.getByLabel("E-mail").fill(email);
        page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("clinician");
        page.getByLabel("Temporary password").fill(password);
    }

    /** Keycloak's login page with the temporary password, then its "update password" page, then the app. */
    private static void firstSignIn(Page page, String app, String username, String temporary, String chosen) {
        page.navigate(app + "/");
        waitVisible(page.locator("#username"), "Keycloak's login page", SIGN_IN_TIMEOUT);
        page.locator("#username").fill(username);
        page.locator("#password").fill(temporary);
        page.locator("#kc-login").click();
        waitVisible(page.locator("#password-new"), "Keycloak's update-password page", SIGN_IN_TIMEOUT);
        Chromium.screenshot(page, "users-03a-keycloak-update-password");
        page.locator("#password-new").fill(chosen);
        page.locator("#password-confirm").fill(chosen);
        page.locator("form input[type=submit], form button[type=submit]").first().click();
        waitVisible(page.locator(".app-header"), "the app after the first sign-in", SIGN_IN_TIMEOUT);
    }
}
