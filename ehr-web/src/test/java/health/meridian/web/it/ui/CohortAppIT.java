package health.meridian.web.it.ui;

import static health.meridian.web.it.ui.Chromium.button;
import static health.meridian.web.it.ui.Chromium.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import health.meridian.web.it.TestStack;
import health.meridian.web.it.cohort.CohortPopulation;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * The cohort builder in real Chromium: a tenant admin signs in through Keycloak, builds "diabetes AND NOT
 * metformin", runs it (the count shown equals the API's count for the same definition), saves and reruns it;
 * a researcher sees the consented-population note.
 */
@ExtendWith(ArquillianExtension.class)
class CohortAppIT {

    private static final double TIMEOUT = 30_000;
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

    private String app() {
        return TestStack.app(base);
    }

    private static final String DIABETES = CohortPopulation.SCT + "|" + CohortPopulation.DIABETES;
    private static final String METFORMIN = CohortPopulation.RXNORM + "|" + CohortPopulation.METFORMIN;

    @Test
    void tenantAdminBuildsRunsSavesAndRerunsACohort() throws Exception {
        CohortPopulation.ensure(app());
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String expected = apiCount("admin.amstel", "{\"indexDate\":\"" + today + "\",\"criteria\":{\"op\":\"and\","
                + "\"items\":[{\"type\":\"condition\",\"codes\":[\"" + DIABETES + "\"]},{\"op\":\"not\",\"items\":"
                + "[{\"type\":\"medication\",\"codes\":[\"" + METFORMIN + "\"]}]}]}}");
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 900))) {
            Page page = context.newPage();
            signIn(page, app(), "admin.amstel", SIGN_IN_TIMEOUT);
            page.navigate(app() + "/#/cohorts");
            page.getByLabel("Codes (system|code, one per line)").first().fill(DIABETES);
            button(page, "Add criterion").click();
            Locator second = page.locator(".cohort-row").nth(1);
            second.locator("select").first().selectOption("medication");
            second = page.locator(".cohort-row").nth(1);
            second.getByLabel("Codes (system|code, one per line)").fill(METFORMIN);
            second.getByLabel("exclude (NOT)").check();
            button(page, "Run").click();
            Locator count = page.locator(".cohort-count strong");
            count.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            assertThat(count.textContent()).isEqualTo(expected);
            assertThat(page.locator("table.breakdown caption").allTextContents())
                    .contains("Age at index date", "Gender", "Institution");
            Chromium.screenshot(page, "cohort-01-result-1280");

            String name = "Diabetes without metformin " + System.nanoTime();
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
            button(page, "Save").click();
            Locator rerun = button(page, "Rerun " + name);
            rerun.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            rerun.click();
            page.locator("#cr-title", new Page.LocatorOptions().setHasText("Result: " + name))
                    .waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            assertThat(page.locator(".cohort-count strong").textContent()).isEqualTo(expected);
            Chromium.screenshot(page, "cohort-02-saved-rerun-1280");
        }
    }

    @Test
    void researcherSeesTheConsentedPopulationAndBadInputIsExplained() throws Exception {
        CohortPopulation.ensure(app());
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(900, 900))) {
            Page page = context.newPage();
            signIn(page, app(), "researcher.lee", SIGN_IN_TIMEOUT);
            page.navigate(app() + "/#/cohorts");
            page.getByLabel("Codes (system|code, one per line)").first().fill("44054006");
            button(page, "Run").click();
            assertThat(page.locator("[role=alert]").textContent()).contains("is not system|code");
            page.getByLabel("Codes (system|code, one per line)").first().fill(DIABETES);
            button(page, "Run").click();
            Locator count = page.locator(".cohort-count");
            count.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            assertThat(count.textContent()).contains("consented to research use");
            // issue #20: the index's freshness is visible with every count
            assertThat(page.locator(".cohorts .freshness").textContent()).startsWith("Index ");
            Chromium.screenshot(page, "cohort-03-researcher-900");
            // issue #20: "0 persons who consented" is explained, not left bare
            page.getByLabel("Codes (system|code, one per line)").first().fill(CohortPopulation.SCT + "|999999999999");
            button(page, "Run").click();
            page.locator(".cohort-count strong[data-count='0']").waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT));
            assertThat(page.locator(".cohorts .empty-result").textContent())
                    .contains("Only persons who consented to research use are counted for you");
            Chromium.screenshot(page, "cohort-04-researcher-none-consented-900");
        }
    }

    private String apiCount(String user, String definition) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app() + "/api/cohorts/count"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TestStack.token(user))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(definition)).build();
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body()).path("count").asText();
    }
}
