package health.meridian.web.it.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static health.meridian.web.it.ui.Chromium.button;
import static health.meridian.web.it.ui.Chromium.signIn;
import static health.meridian.web.it.ui.Chromium.slow;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The admin console in real Chromium (issue #8): the tenant admin creates a care team, adds a member and a patient,
 * removes the member; reviews a break-the-glass session (what was read, "reviewed"); searches the audit trail; the
 * same screens at tablet width; the platform admin registers an institution. Screenshots in target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
class AdminConsoleAppIT {

    private static final double TIMEOUT = 30_000;
    private static final double SIGN_IN_TIMEOUT = 90_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
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

    private String app() {
        return TestStack.app(base);
    }

    @Test
    void tenantAdminManagesCareTeamsReviewsBreakGlassAndSearchesTheAudit() throws Exception {
        ensureTenants();
        String patient = nursesPatient();
        String session = idOf(call("POST", "api/break-glass", "dr.jansen", "{\"patient\":\"Patient/" + patient
                + "\",\"reason\":\"Unconscious in the emergency room\"}", 201));
        call("GET", "fhir/Patient/" + patient, "dr.jansen", null, 200);
        String team = "ui-ward-" + UUID.randomUUID().toString().substring(0, 6);
        // a Spree patient dr.jansen tries to open (refused): Amstel's admin must not learn her name
        String elsewhere = idOf(call("POST", "fhir/Patient", "dr.mueller", "{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"urn:meridian:person\",\"value\":\"ui-" + UUID.randomUUID()
                + "\"}],\"name\":[{\"family\":\"Elsewhere\",\"given\":[\"Berta\"]}]}", 201));
        call("GET", "fhir/Patient/" + elsewhere, "dr.jansen", null, 404);

        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 800))) {
            Page page = context.newPage();
            signIn(page, app(), "admin.amstel", SIGN_IN_TIMEOUT);
            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Care teams")).click();
            Locator newTeam = page.locator("form[aria-label='New care team']");
            newTeam.getByLabel("Team id").waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            newTeam.getByLabel("Team id").fill("bad id");
            button(page, "Create team").click();
            assertThat(newTeam.locator("[data-field=id] .field-error")).containsText("no spaces", slow());
            assertThat(newTeam.locator("[data-field=name] .field-error")).containsText("Enter the team");
            Chromium.screenshot(page, "admin-01-careteam-field-errors-1280");

            newTeam.getByLabel("Team id").fill(team);
            newTeam.getByLabel("Name").fill("Ward " + team);
            button(page, "Create team").click();
            Locator card = page.locator("[data-team='" + team + "']");
            card.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            card.getByLabel("Practitioner id").fill("prac-nl-jansen");
            card.locator("button", new Locator.LocatorOptions().setHasText("Add member")).click();
            page.locator("[data-team='" + team + "'] [data-member='prac-nl-jansen']")
                    .waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            // issue #20: names, not ids (dr.jansen entered the directory with the name in his token)
            assertThat(page.locator("[data-team='" + team + "'] [data-member='prac-nl-jansen']"))
                    .containsText("Pieter Jansen");
            // issue #20: the confirmation names whom it added, not the id typed
            assertThat(page.locator(".flash")).containsText("Pieter Jansen added to Ward " + team + ".", slow());
            assertThat(page.locator(".flash")).not().containsText("prac-nl-jansen");
            card = page.locator("[data-team='" + team + "']");
            card.getByLabel("Patient id").fill("Patient/" + patient);
            card.locator("button", new Locator.LocatorOptions().setHasText("Add patient")).click();
            page.locator("[data-team='" + team + "'] [data-patient='" + patient + "']")
                    .waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            // issue #20: the team's patient by name (held by the admin's institution, ADR 0027), the reference beside
            assertThat(page.locator("[data-team='" + team + "'] [data-patient='" + patient + "'] td.patient"))
                    .containsText("Ada Console");
            assertThat(page.locator("[data-team='" + team + "'] [data-patient='" + patient + "'] td.patient"))
                    .containsText("Patient/" + patient);
            // issue #20: the confirmation names the patient (through the seam, ADR 0027), not her reference
            assertThat(page.locator(".flash")).containsText("Ada Console added to Ward " + team + ".", slow());
            assertThat(page.locator(".flash")).not().containsText(patient);
            page.locator("[data-team='" + team + "']").scrollIntoViewIfNeeded();
            Chromium.screenshot(page, "admin-02-careteam-member-patient-1280");
            call("GET", "fhir/Patient/" + patient, "dr.jansen", null, 200);

            Locator remove = page.locator("[data-team='" + team + "'] [data-member='prac-nl-jansen'] button");
            remove.focus();
            page.keyboard().press("Enter");
            assertThat(remove).hasText("Confirm");
            page.keyboard().press("Enter");
            page.locator("[data-team='" + team + "'] [data-member]").waitFor(
                    new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED)
                            .setTimeout(TIMEOUT));
            assertThat(page.locator(".flash")).containsText("Pieter Jansen removed from Ward " + team, slow());

            page.navigate(app() + "/#/admin/break-glass");
            Locator row = page.locator("[data-session='" + session + "']");
            row.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            assertThat(row).containsText("Unconscious in the emergency room");
            assertThat(row.locator("td.who")).containsText("Pieter Jansen");
            // issue #20: the patient by name (held by the admin's institution), the reference beside it
            assertThat(row.locator("td.patient")).containsText("Ada Console");
            row.locator("button", new Locator.LocatorOptions().setHasText("Show")).click();
            assertThat(page.locator("#reads-" + session)).containsText("Patient/" + patient, slow());
            Chromium.screenshot(page, "admin-03-break-glass-reads-1280");
            button(page, "Mark the session of Pieter Jansen on Ada Console reviewed").click();
            // issue #20: the reviewer by name (staff_name by token subject), not by username
            assertThat(page.locator("[data-session='" + session + "']")).containsText("Reviewed by Eva de Boer",
                    slow());
            assertThat(page.locator("[data-session='" + session + "']")).not().containsText("admin.amstel");

            page.navigate(app() + "/#/admin/audit");
            page.getByLabel("User").fill("dr.jansen");
            page.getByLabel("Patient", new Page.GetByLabelOptions().setExact(true)).fill(patient);
            button(page, "Search").click();
            assertThat(page.locator("#audit-results tbody")).containsText("break-glass", slow());
            assertThat(page.locator("#audit-results tbody")).containsText("Patient/" + patient);
            // issue #20: rows name who acted and the patient (held here); another institution's patient is never named
            Locator glass = page.locator("#audit-results tbody tr", new Page.LocatorOptions().setHasText("break-glass"))
                    .first();
            assertThat(glass.locator("td.who")).containsText("Pieter Jansen");
            assertThat(glass.locator("td.patient")).containsText("Ada Console");
            page.getByLabel("Patient", new Page.GetByLabelOptions().setExact(true)).fill("");
            button(page, "Search").click();
            Locator refused = page.locator("#audit-results tbody tr", new Page.LocatorOptions()
                    .setHasText("Patient/" + elsewhere)).first();
            refused.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            assertThat(refused).not().containsText("Berta");
            assertThat(page.locator("#audit-results tbody")).not().containsText("Elsewhere");
            page.setViewportSize(1440, 900);
            Chromium.screenshot(page, "issue20-admin-audit-names-1440");
            page.setViewportSize(390, 844);
            page.waitForTimeout(300);
            Chromium.screenshot(page, "issue20-admin-audit-names-390");
            assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .as("the audit rows reflow into cards on a phone").isLessThanOrEqualTo(390);
            page.navigate(app() + "/#/admin/break-glass");
            page.locator("[data-session='" + session + "'] td.patient").waitFor(
                    new Locator.WaitForOptions().setTimeout(TIMEOUT));
            Chromium.screenshot(page, "issue20-admin-break-glass-names-390");
            assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .as("the sessions reflow into cards on a phone").isLessThanOrEqualTo(390);
            page.setViewportSize(1440, 900);
            page.waitForTimeout(300);
            Chromium.screenshot(page, "issue20-admin-break-glass-names-1440");
            Chromium.screenshot(page, "admin-04-audit-search-1280");

            page.setViewportSize(768, 1024);
            page.navigate(app() + "/#/admin/care-teams");
            page.locator("[data-team='" + team + "']").waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            Chromium.screenshot(page, "admin-05-care-teams-768");
            page.navigate(app() + "/#/admin/break-glass");
            page.locator("[data-session='" + session + "']").waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            Chromium.screenshot(page, "admin-06-break-glass-768");
        }
    }

    @Test
    void platformAdminRegistersAnInstitution() throws Exception {
        String id = "ui-" + UUID.randomUUID().toString().substring(0, 6);
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 800))) {
            Page page = context.newPage();
            signIn(page, app(), "platform.admin", SIGN_IN_TIMEOUT);
            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Institutions")).click();
            page.getByLabel("Id").fill(id);
            page.getByLabel("Name").fill("Schelde Ziekenhuis");
            page.getByLabel("Country").fill("B");
            page.getByLabel("Region").fill("eu-west");
            button(page, "Register").click();
            assertThat(page.locator("[data-field=country] .field-error")).containsText("two-letter", slow());
            page.getByLabel("Country").fill("be");
            button(page, "Register").click();
            assertThat(page.locator("[data-tenant='" + id + "']")).containsText("Schelde Ziekenhuis", slow());
            assertThat(page.locator(".flash")).containsText("Schelde Ziekenhuis (BE) registered.");
            Chromium.screenshot(page, "admin-07-institutions-1280");
            assertThat(page.locator("nav.app-nav")).not().containsText("Care teams");
        }
    }

    /**
     * ADR 0031: a tenant admin registers a SMART app in the console (a refusal shown at its field first), the real
     * Keycloak gets its client, the list shows it, and revoking it (a second press confirms) marks it revoked.
     */
    @Test
    void tenantAdminRegistersAndRevokesASmartApp() throws Exception {
        ensureTenants();
        String id = "ui-app-" + UUID.randomUUID().toString().substring(0, 6);
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 800))) {
            Page page = context.newPage();
            signIn(page, app(), "admin.amstel", SIGN_IN_TIMEOUT);
            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Apps")).click();
            Locator form = page.locator("#app-register");
            form.getByLabel("Client id").waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            form.getByLabel("Client id").fill(id);
            form.getByLabel("Name").fill("Growth Charts " + id);
            form.getByLabel("Redirect URIs").fill("http://evil.example/cb");
            button(page, "Register").click();
            assertThat(form.locator("[data-field=redirectUris] .field-error")).containsText("EHR-1176", slow());
            form.getByLabel("Redirect URIs").fill("https://growth.example/launch/cb");
            button(page, "Register").click();
            Locator row = page.locator("#app-list [data-app='" + id + "']");
            assertThat(row).containsText("Active", slow());
            assertThat(page.locator(".flash")).containsText("Growth Charts " + id + " (" + id + ") registered.");
            Chromium.screenshot(page, "admin-08-smart-apps-1280");
            Locator revoke = row.locator("button");
            revoke.click();
            revoke.click();
            assertThat(row).containsText("Revoked", slow());
            assertThat(call("GET", "api/admin/apps", "admin.spree", null, 200)).doesNotContain(id);
        }
    }

    private void ensureTenants() throws Exception {
        for (String[] t : new String[][] {{"nl-amstel", "Amstel Hospital", "NL", "eu-west"},
                {"de-spree", "Spree Klinikum", "DE", "eu-central"}}) {
            call("PUT", "api/tenants/" + t[0], "platform.admin", "{\"name\":\"" + t[1] + "\",\"country\":\"" + t[2]
                    + "\",\"region\":\"" + t[3] + "\"}", -1);
        }
    }

    private String nursesPatient() throws Exception {
        String person = "ui-" + UUID.randomUUID().toString().substring(0, 12);
        return idOf(call("POST", "fhir/Patient", "nurse.visser", "{\"resourceType\":\"Patient\",\"identifier\":"
                + "[{\"system\":\"urn:meridian:person\",\"value\":\"" + person + "\"}],\"name\":[{\"family\":"
                + "\"Console\",\"given\":[\"Ada\"]}]}", 201));
    }

    private String call(String method, String path, String user, String body, int expected) throws Exception {
        String type = path.startsWith("fhir/") ? "application/fhir+json" : "application/json";
        HttpRequest request = HttpRequest.newBuilder(URI.create(app() + "/" + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestStack.token(user)).header("Accept", type)
                .header("Content-Type", type).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (expected > 0) {
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        }
        return r.body();
    }

    private static String idOf(String body) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9\\-.]+)\"").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }
}
