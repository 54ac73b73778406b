package health.meridian.web.it.ui;

import static health.meridian.web.it.ui.Chromium.TIMEOUT;
import static health.meridian.web.it.ui.Chromium.button;
import static health.meridian.web.it.ui.Chromium.signIn;
import static health.meridian.web.it.ui.Chromium.slow;
import static health.meridian.web.it.ui.Chromium.waitVisible;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Instant;
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
 * The patient portal end to end in real Chromium (issue #7): patient.anna grants Spree Klinikum (another country)
 * access, confirming the cross-border dialog; dr.mueller there opens her result; her access log shows his read;
 * she revokes and he no longer sees it. A share code made by Anna is redeemed by dr.mueller for her summary.
 */
@ExtendWith(ArquillianExtension.class)
class PortalAppIT {

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

    /** Keycloak renders its first login page slowly (theme compilation): render one before the browser needs it. */
    @BeforeAll
    static void warmUpKeycloakLoginPage() throws Exception {
        Chromium.warmUpKeycloakLoginPage();
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
    void patientGrantsAcrossTheBorderTheClinicianSeesTheLogShowsItAndRevocationEndsIt() throws Exception {
        TestStack.ensureTenants(app());
        revokeAnnasGrants();
        String jansen = TestStack.token("dr.jansen");
        String patient = created(TestStack.send("POST", app() + "/fhir/Patient", jansen, patientJson()));
        String lab = created(TestStack.send("POST", app() + "/fhir/Observation", jansen, labJson(patient)));
        String entry = app() + "/#/patients/" + patient + "/entry/Observation/" + lab;

        try (BrowserContext annaCtx = context(); BrowserContext muellerCtx = context()) {
            Page mueller = muellerCtx.newPage();
            signIn(mueller, app(), "dr.mueller");
            mueller.navigate(entry);
            waitVisible(mueller.locator(".entry-detail article [role=alert]"), "the refusal before any grant");

            Page anna = annaCtx.newPage();
            signIn(anna, app(), "patient.anna");
            assertThat(anna.locator("h1")).hasText("My record");
            anna.navigate(app() + "/#/me/access");
            anna.getByLabel("Doctor or institution").fill("spree");
            Locator option = anna.locator("[data-grantee='de-spree']");
            waitVisible(option, "Spree Klinikum among the grantees");
            assertThat(option).containsText("Cross-border");
            option.click();
            anna.getByLabel("Purpose").selectOption("TREAT");
            Chromium.screenshot(anna, "portal-01-grant-form");
            button(anna, "Give access").click();
            Locator dialog = anna.locator("#cross-border-dialog");
            waitVisible(dialog, "the cross-border confirmation");
            assertThat(dialog).containsText("Germany");
            Chromium.screenshot(anna, "portal-02-cross-border-dialog");
            button(anna, "Yes, share across the border").click();
            Locator row = anna.locator("#grant-list tbody tr").first();
            assertThat(row).containsText("Spree Klinikum", slow());
            assertThat(row).containsText("Cross-border");
            assertThat(row.locator(".badge.active")).hasText("active");
            Chromium.screenshot(anna, "portal-03-grants");

            mueller.navigate(app() + "/#/patients");
            mueller.navigate(entry);
            assertThat(mueller.locator(".entry-detail .entry-title")).containsText("HbA1c", slow());
            assertThat(mueller.locator(".entry-detail .patient-banner h1")).containsText("de Vries, Anna", slow());
            assertThat(mueller.locator(".entry-detail dl").first()).isVisible();
            Chromium.screenshot(mueller, "portal-04-clinician-sees-shared-result");

            anna.navigate(app() + "/#/me/log?who=mueller");
            Locator log = anna.locator("#access-log tbody tr:not(.refused)", new Page.LocatorOptions()
                    .setHasText("Viewed your observation"));
            waitVisible(log.first(), "dr.mueller's read in the access log");
            assertThat(log.first()).containsText("Katrin Müller (clinician)");
            assertThat(log.first()).containsText("Spree Klinikum, Germany");
            assertThat(log.first()).containsText("Treatment");
            assertThat(log.first().locator(".badge.allowed")).hasText("Allowed");
            Locator attempt = anna.locator("#access-log tbody tr.refused", new Page.LocatorOptions()
                    .setHasText("Tried: Viewed your observation"));
            waitVisible(attempt.first(), "dr.mueller's refused attempt before the grant");
            assertThat(attempt.first()).containsText("Katrin Müller (clinician)");
            assertThat(attempt.first()).containsText("Spree Klinikum, Germany");
            assertThat(attempt.first().locator(".badge.refused")).hasText("Refused — nothing shown");
            anna.waitForTimeout(1500);
            anna.navigate(app() + "/#/me/log?who=jansen");
            anna.navigate(app() + "/#/me/log?who=mueller");
            // the entry's inclusion proof, checked in the browser against its batch's signed root
            assertThat(log.first().locator("td.seal")).containsText("Verified", slow());
            assertThat(log.first().locator("td.seal a.proof-link")).hasAttribute("download",
                    java.util.regex.Pattern.compile("audit-proof-\\d+(-and-\\d+-more)?\\.json"));
            Chromium.screenshot(anna, "portal-05-access-log");

            anna.navigate(app() + "/#/me/access");
            anna.locator("#grant-list tbody tr").first().getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Revoke the grant to Spree Klinikum")).click();
            assertThat(anna.locator(".flash")).containsText("revoked", slow());
            assertThat(anna.locator("#grant-list tbody tr").first().locator(".badge.revoked")).hasText("revoked");
            Chromium.screenshot(anna, "portal-06-revoked");

            mueller.navigate(app() + "/#/patients");
            mueller.navigate(entry);
            waitVisible(mueller.locator(".entry-detail article [role=alert]"), "the refusal after revocation");
            assertThat(mueller.locator(".entry-detail article [role=alert]")).containsText("404");
            assertThat(mueller.locator(".entry-detail dl")).hasCount(0);
            Chromium.screenshot(mueller, "portal-07-clinician-after-revoke");
        }
    }

    @Test
    void aClinicianAbroadRedeemsTheShareCodeAndReadsTheSummary() throws Exception {
        TestStack.ensureTenants(app());
        revokeAnnasGrants();
        String jansen = TestStack.token("dr.jansen");
        String patient = created(TestStack.send("POST", app() + "/fhir/Patient", jansen, patientJson()));
        created(TestStack.send("POST", app() + "/fhir/Condition", jansen, "{\"resourceType\":\"Condition\","
                + "\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-"
                + "clinical\",\"code\":\"active\"}]},\"code\":{\"text\":\"Portal asthma marker\"},\"subject\":{"
                + "\"reference\":\"Patient/" + patient + "\"}}"));
        created(TestStack.send("POST", app() + "/fhir/Observation", jansen, labJson(patient)));
        created(TestStack.send("POST", app() + "/fhir/MedicationRequest", jansen, "{\"resourceType\":"
                + "\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"medicationCodeableConcept\":{"
                + "\"text\":\"Portal metformin\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"dosageInstruction\":[{\"timing\":{\"repeat\":{\"frequency\":2,\"period\":1,\"periodUnit\":\"d\"}},"
                + "\"doseAndRate\":[{\"doseQuantity\":{\"value\":500,\"unit\":\"mg\"}}]}]}"));
        created(TestStack.send("POST", app() + "/fhir/AllergyIntolerance", jansen, "{\"resourceType\":"
                + "\"AllergyIntolerance\",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
                + "CodeSystem/allergyintolerance-clinical\",\"code\":\"active\"}]},\"criticality\":\"high\","
                + "\"code\":{\"text\":\"Portal penicillin\"},\"patient\":{\"reference\":\"Patient/" + patient
                + "\"},\"reaction\":[{\"manifestation\":[{\"text\":\"Hives\"}],\"severity\":\"moderate\"}]}"));
        try (BrowserContext annaCtx = context(); BrowserContext muellerCtx = context()) {
            Page anna = annaCtx.newPage();
            signIn(anna, app(), "patient.anna");
            // issue #20: her own patient summary, readable and printable (not only a FHIR download)
            anna.locator("#read-summary").click();
            Locator own = anna.locator(".my-summary .ips");
            waitVisible(own.locator("section[aria-label='Problem list']"), "her own patient summary");
            assertThat(own.locator("section[aria-label='Problem list']")).containsText("Portal asthma marker");
            assertThat(own.locator("[data-section='10160-0']")).containsText("Portal metformin — 500 mg, twice a day");
            assertThat(own.locator("[data-section='48765-2']")).containsText("Portal penicillin — Reaction: Hives");
            assertThat(own.locator("h2")).containsText("Patient summary: ");
            assertThat(own).not().containsText("Condition:");
            assertThat(anna.title()).startsWith("My patient summary: ");
            Chromium.screenshot(anna, "portal-13-my-summary");
            anna.setViewportSize(390, 844); // issue #20: the summary on a phone
            assertThat(own.locator("[data-section='10160-0']")).isVisible();
            assertThat(pageWidth(anna)).as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
            Chromium.screenshot(anna, "portal-13-my-summary-390");
            anna.setViewportSize(1280, 800);
            anna.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.PRINT));
            assertThat(anna.locator(".app-header")).isHidden();
            assertThat(own.locator("button.print")).isHidden();
            assertThat(own.locator("[data-section='10160-0']")).isVisible();
            byte[] pdf = anna.pdf();
            assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
            anna.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.SCREEN));
            anna.navigate(app() + "/#/me/share");
            button(anna, "Create share code").click();
            Locator value = anna.locator("#share-code-value");
            waitVisible(value, "the new share code");
            String code = value.innerText().trim();
            assertThat(code).matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$");
            Chromium.screenshot(anna, "portal-08-share-code");

            Page mueller = muellerCtx.newPage();
            signIn(mueller, app(), "dr.mueller");
            mueller.navigate(app() + "/#/share-code");
            mueller.getByLabel("Share code").fill("12345");
            button(mueller, "Show the summary").click();
            assertThat(mueller.locator(".page [role=alert]")).containsText("ten letters and digits");
            mueller.getByLabel("Share code").fill(code.toLowerCase().replace("-", ""));
            button(mueller, "Show the summary").click();
            Locator problems = mueller.locator(".ips section[aria-label='Problem list']");
            waitVisible(problems, "the problem list of the summary");
            assertThat(problems).containsText("Portal asthma marker");
            // issue #20: values, doses and reactions; no FHIR type names; every holding institution
            assertThat(mueller.locator(".ips [data-section='30954-2']")).containsText("HbA1c — 6.4 %");
            assertThat(mueller.locator(".ips [data-section='10160-0']")).containsText("Portal metformin — 500 mg, twice a day");
            assertThat(mueller.locator(".ips [data-section='48765-2']")).containsText("Portal penicillin — Reaction: Hives (moderate)");
            assertThat(mueller.locator(".ips [data-section='48765-2']")).containsText("criticality high");
            // a high-criticality allergy stands out in the patient's own summary, with what it means on hover
            assertThat(mueller.locator(".ips [data-section='48765-2'] .flag")).containsText("High risk");
            assertThat(mueller.locator(".ips [data-section='48765-2'] .flag")).hasAttribute("title",
                    "Criticality high: a reaction may be life-threatening");
            assertThat(mueller.locator(".ips")).not().containsText("Condition:");
            assertThat(mueller.locator(".ips")).not().containsText("Observation:");
            assertThat(mueller.locator(".ips .held-by")).containsText("Amstel Hospital");
            Chromium.screenshot(mueller, "portal-09-summary-by-share-code");

            mueller.getByLabel("Share code").fill(code);
            button(mueller, "Show the summary").click();
            assertThat(mueller.locator(".page [role=alert]")).containsText("already used", slow());

            anna.navigate(app() + "/#/me/log?kind=share-code");
            Locator used = anna.locator("#access-log tbody tr", new Page.LocatorOptions()
                    .setHasText("Used your share code"));
            waitVisible(used.first(), "the redemption in the access log");
            // issue #20: who by name (and institution), not by username
            assertThat(used.first()).containsText("Katrin Müller");
            assertThat(used.first()).not().containsText("dr.mueller");
            Chromium.screenshot(anna, "portal-10-access-log-share-code");
        }
    }

    /**
     * Issue #20 on a 390x844 phone: grantees found by name and institution, a Dutch doctor is not cross-border, the
     * chosen last day is shown as chosen, a revoked grant reads revoked, Revoke is reachable; the access log groups
     * repeated reads into one line and its Sealed column fits the screen.
     */
    @Test
    void grantsAndTheAccessLogReadRightOnAPhone() throws Exception {
        TestStack.ensureTenants(app());
        revokeAnnasGrants();
        String jansen = TestStack.token("dr.jansen");
        String patient = created(TestStack.send("POST", app() + "/fhir/Patient", jansen, patientJson()));
        String lab = created(TestStack.send("POST", app() + "/fhir/Observation", jansen, labJson(patient)));
        for (int i = 0; i < 3; i++) {
            assertThat(TestStack.send("GET", app() + "/fhir/Observation/" + lab, jansen, null).statusCode()).isEqualTo(200);
        }
        // dr.mueller enters the grantee directory (by the name in his token) on his first call
        TestStack.send("GET", app() + "/fhir/Patient?_count=1", TestStack.token("dr.mueller"), null);

        try (BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true))) {
            Page anna = phone.newPage();
            signIn(anna, app(), "patient.anna");
            anna.navigate(app() + "/#/me/access");
            Locator search = anna.getByLabel("Doctor or institution");
            search.fill("Müller");
            Locator mueller = anna.locator("[data-grantee='prac-de-mueller']");
            waitVisible(mueller, "Katrin Müller found by her name");
            assertThat(mueller).containsText("Spree Klinikum");
            search.fill("Spree");
            waitVisible(mueller, "Katrin Müller found by her institution");
            search.fill("Jansen");
            Locator dutch = anna.locator("[data-grantee='prac-nl-jansen']");
            waitVisible(dutch, "Pieter Jansen among the grantees");
            assertThat(dutch).containsText("Pieter Jansen");
            assertThat(dutch.locator(".cross-border")).hasCount(0);
            dutch.click();
            anna.locator("#grant-end").fill("2026-12-31");
            button(anna, "Give access").click();
            Locator row = anna.locator("#grant-list tbody tr", new Page.LocatorOptions().setHasText("Pieter Jansen"))
                    .first();
            assertThat(row.locator("td.period")).containsText("– 2026-12-31", slow());
            assertThat(row).containsText("Amstel Hospital");
            assertThat(row.locator(".cross-border")).hasCount(0);
            assertThat(anna.locator("#cross-border-dialog")).not().isVisible();
            Locator revoke = row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                    .setName(java.util.regex.Pattern.compile("^Revoke the grant to Pieter Jansen")));
            var box = revoke.boundingBox();
            assertThat(box.x + box.width).as("Revoke within the 390 px screen").isLessThanOrEqualTo(390);
            assertThat(box.height).as("Revoke is a tap target").isGreaterThanOrEqualTo(40);
            assertThat(pageWidth(anna)).as("no sideways scrolling").isLessThanOrEqualTo(390);
            Chromium.screenshot(anna, "portal-11-grants-phone");
            revoke.tap();
            assertThat(anna.locator(".flash")).containsText("revoked", slow());
            Locator revoked = anna.locator("#grant-list tbody tr", new Page.LocatorOptions().setHasText("Pieter Jansen"))
                    .first();
            assertThat(revoked.locator("td.period")).containsText("revoked", slow());
            assertThat(revoked.locator("td.period")).not().containsText("until revoked");

            anna.navigate(app() + "/#/me/log?who=jansen&kind=read");
            Locator reads = anna.locator("#access-log tbody tr:not(.refused)", new Page.LocatorOptions()
                    .setHasText("Viewed your observation"));
            waitVisible(reads.first(), "dr.jansen's reads in the access log");
            assertThat(reads).hasCount(1);
            assertThat(reads.first()).containsText("Pieter Jansen");
            assertThat(reads.first()).not().containsText("dr.jansen");
            assertThat(reads.first()).containsText(java.util.regex.Pattern.compile("Viewed your observation \\(measurement or result\\) × [3-9]"));
            Locator seal = reads.first().locator("td.seal");
            assertThat(seal).not().containsText("Checking", slow());
            var sealBox = seal.boundingBox();
            assertThat(sealBox.x + sealBox.width).as("Sealed column within the screen").isLessThanOrEqualTo(390);
            assertThat(pageWidth(anna)).as("no sideways scrolling").isLessThanOrEqualTo(390);
            Chromium.screenshot(anna, "portal-12-access-log-phone");
        }
    }

    /**
     * Issue #20, ADR 0033: the outside-records hint exists only with the patient's consent. Spree Klinikum holds a
     * record of Anna that dr.jansen at Amstel may not see. Off by default: his banner says nothing. She switches the
     * setting on in the portal: his banner says records exist elsewhere, naming and counting no institution. She
     * switches it off: gone. On again, then a grant to him: no hint, the banner names Spree Klinikum as it does.
     */
    @Test
    void theOutsideRecordsHintFollowsThePatientsSettingAndGivesWayToAGrant() throws Exception {
        TestStack.ensureTenants(app());
        revokeAnnasGrants();
        String annaToken = TestStack.token("patient.anna");
        String jansen = TestStack.token("dr.jansen");
        json("PUT", app() + "/api/me/outside-records-hint", annaToken, "{\"enabled\":false}");
        String patient = created(TestStack.send("POST", app() + "/fhir/Patient", jansen, patientJson()));
        HttpResponse<String> toSpree = json("POST", app() + "/api/grants", annaToken, "{\"institution\":"
                + "\"de-spree\",\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\",\"confirmCrossBorder\":true}");
        assertThat(toSpree.statusCode()).as(toSpree.body()).isEqualTo(201);
        String mueller = TestStack.token("dr.mueller");
        String spreePatient = created(TestStack.send("POST", app() + "/fhir/Patient", mueller, patientJson()));
        created(TestStack.send("POST", app() + "/fhir/Observation", mueller, labJson(spreePatient)));
        revokeAnnasGrants();
        String chart = app() + "/#/patients/" + patient;
        try (BrowserContext annaCtx = context(); BrowserContext jansenCtx = context()) {
            Page doctor = jansenCtx.newPage();
            signIn(doctor, app(), "dr.jansen");
            Locator hint = doctor.locator(".patient-banner .banner-outside");
            openChart(doctor, chart);
            assertThat(hint).isHidden();
            assertThat(doctor.locator(".patient-banner")).not().containsText("other institutions");

            Page anna = annaCtx.newPage();
            signIn(anna, app(), "patient.anna");
            anna.navigate(app() + "/#/me/access");
            Locator setting = anna.getByLabel("Let clinicians who treat me know that other institutions hold records"
                    + " about me");
            waitVisible(setting, "the outside-records setting");
            assertThat(setting).isEnabled();
            assertThat(setting).not().isChecked();
            assertThat(anna.locator("#outside-records-note")).containsText("do not see those records");
            setting.check();
            assertThat(anna.locator(".setting.outside-records [role=status]")).containsText("will see", slow());
            anna.locator(".setting.outside-records").scrollIntoViewIfNeeded();
            Chromium.screenshot(anna, "portal-14-outside-records-setting");

            openChart(doctor, chart);
            assertThat(hint).containsText("Records at other institutions exist that are not shared with you \u2014 the"
                    + " patient can share them from the portal", slow());
            assertThat(doctor.locator(".patient-banner")).not().containsText("Spree");
            assertThat(doctor.locator(".patient-banner .banner-held")).not().containsText("Spree");
            Chromium.screenshot(doctor, "chart-outside-records-hint-1440");
            doctor.setViewportSize(390, 844);
            Chromium.screenshot(doctor, "chart-outside-records-hint-390");
            doctor.setViewportSize(1280, 800);

            anna.reload();
            waitVisible(setting, "the outside-records setting again");
            assertThat(setting).isChecked(slowCheck());
            setting.uncheck();
            assertThat(anna.locator(".setting.outside-records [role=status]")).containsText("will not be told",
                    slow());
            openChart(doctor, chart);
            assertThat(hint).isHidden();

            setting.check();
            assertThat(anna.locator(".setting.outside-records [role=status]")).containsText("will see", slow());
            HttpResponse<String> toJansen = json("POST", app() + "/api/grants", annaToken,
                    "{\"practitioner\":\"prac-nl-jansen\",\"scope\":\"exclude-sensitive\",\"purpose\":\"TREAT\"}");
            assertThat(toJansen.statusCode()).as(toJansen.body()).isEqualTo(201);
            openChart(doctor, chart);
            assertThat(doctor.locator(".patient-banner .banner-held")).containsText("Spree Klinikum", slow());
            assertThat(hint).isHidden();
        } finally {
            json("PUT", app() + "/api/me/outside-records-hint", annaToken, "{\"enabled\":false}");
            revokeAnnasGrants();
        }
    }

    /** A JSON API call. */
    private static HttpResponse<String> json(String method, String url, String token, String body) throws Exception {
        return TestStack.send(method, url, token, body, TestStack.JSON);
    }

    /** The chart, once its banner has asked whether to show the outside-records hint. */
    private void openChart(Page page, String chart) {
        page.navigate(app() + "/#/patients");
        page.waitForResponse(r -> r.url().contains("/outside-records"), () -> page.navigate(chart));
        waitVisible(page.locator(".patient-banner h1"), "the chart's banner");
        page.waitForTimeout(300); // the answer is rendered in the same task as it arrives
    }

    private static com.microsoft.playwright.assertions.LocatorAssertions.IsCheckedOptions slowCheck() {
        return new com.microsoft.playwright.assertions.LocatorAssertions.IsCheckedOptions().setTimeout(TIMEOUT);
    }

    private static double pageWidth(Page page) {
        return ((Number) page.evaluate("() => document.documentElement.scrollWidth")).doubleValue();
    }

    private BrowserContext context() {
        return chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
    }

    /**
     * Anna is shared with other tests: no active grant or share code of hers is left from before (the shared fixture:
     * this class's own copy sent GET with a FHIR Content-Type, answered 415, and so revoked nothing).
     */
    private void revokeAnnasGrants() throws Exception {
        health.meridian.web.it.portal.PatientSharing.endAll(app(), TestStack.token("patient.anna"));
    }

    private static String patientJson() {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:meridian:person\",\"value\":"
                + "\"person-anna\"}],\"name\":[{\"family\":\"de Vries\",\"given\":[\"Anna\"]}],\"birthDate\":\"1980-04-02\"}";
    }

    private static String labJson(String patient) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"4548-4\",\"display\":\"HbA1c\"}],"
                + "\"text\":\"HbA1c\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\""
                + Instant.now() + "\",\"valueQuantity\":{\"value\":6.4,\"unit\":\"%\"}}";
    }

    private static String created(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("id").asText();
    }
}
