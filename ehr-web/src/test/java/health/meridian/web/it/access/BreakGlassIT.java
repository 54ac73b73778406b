package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Break-the-glass: a stated reason is mandatory; the session opens the record, is audited and listed for review. */
@ExtendWith(ArquillianExtension.class)
class BreakGlassIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
    }

    @Test
    void withoutReasonRefusedAndAuditedWithReasonOpensTheRecordForReview() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        // Registered and charted by the nurse: her care relationship, not Dr Jansen's.
        String visser = AccessFixtures.token("nurse.visser");
        String patient = fx.patient(visser, AccessFixtures.newPerson());
        String obs = fx.observation(visser, patient);
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), jansen, null).statusCode())
                .as("outside the care team").isEqualTo(404);
        String note = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"note\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
        HttpResponse<String> write = AccessFixtures.send("POST", fx.fhir("Observation"), jansen, note);
        assertThat(write.statusCode()).as("writing outside the care team: " + write.body()).isEqualTo(400);
        assertThat(write.body()).as("answered like an unknown patient").contains("EHR-0402");
        assertThat(AccessFixtures.send("PUT", fx.fhir("Observation/" + obs), jansen,
                note.replace("{\"resourceType\"", "{\"id\":\"" + obs + "\",\"resourceType\"")).statusCode())
                .as("overwriting another team's record: answered like an unknown id").isEqualTo(405);

        HttpResponse<String> noReason = AccessFixtures.send("POST", fx.api("break-glass"), jansen,
                "{\"patient\":\"Patient/" + patient + "\"}");
        assertThat(noReason.statusCode()).as(noReason.body()).isEqualTo(400);
        assertThat(noReason.body()).contains("EHR-0651");
        assertThat(AccessFixtures.auditOf("dr.jansen", patient)).contains("break-glass:4:ETREAT");
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), jansen, null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> opened = AccessFixtures.send("POST", fx.api("break-glass"), jansen,
                "{\"patient\":\"Patient/" + patient + "\",\"reason\":\"Unconscious in the emergency room\"}");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        String session = AccessFixtures.idOf(opened.body());
        assertThat(AccessFixtures.send("GET", fx.fhir("Observation/" + obs), jansen, null).statusCode())
                .isEqualTo(200);
        assertThat(AccessFixtures.auditOf("dr.jansen", obs)).endsWith("read:0:ETREAT");
        assertThat(AccessFixtures.send("POST", fx.fhir("Observation"), jansen, note).statusCode())
                .as("emergency care is recorded under break-the-glass").isEqualTo(201);

        String admin = AccessFixtures.token("admin.amstel");
        HttpResponse<String> list = AccessFixtures.send("GET", fx.api("break-glass"), admin, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(session).contains("Unconscious in the emergency room");
        assertThat(AccessFixtures.send("GET", fx.api("break-glass"), AccessFixtures.token("admin.spree"), null)
                .body()).doesNotContain(session);
        HttpResponse<String> reviewed = AccessFixtures.send("POST", fx.api("break-glass/" + session + "/review"),
                admin, null);
        assertThat(reviewed.statusCode()).as(reviewed.body()).isEqualTo(200);
        assertThat(reviewed.body()).contains("\"reviewedBy\":\"admin.amstel\"");
    }

    /**
     * Issue #20: before the reason is asked, the preview names whom a session would open — a patient registered at
     * the caller's own institution — audited as {@code break-glass-preview}. A patient held only at another
     * institution and an id held nowhere get byte-identical answers (no existence oracle across institutions);
     * both refusals are audited. Nurses, who may not break the glass, are refused (403).
     */
    @Test
    void previewNamesThePatientRegisteredHereAndAnswersElsewhereLikeNowhere() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String here = fx.patient(AccessFixtures.token("nurse.visser"), AccessFixtures.newPerson());
        String elsewhere = fx.patient(AccessFixtures.token("dr.mueller"), AccessFixtures.newPerson());
        String nowhere = "none-" + AccessFixtures.newPerson();

        HttpResponse<String> preview = AccessFixtures.send("GET", fx.api("break-glass/preview?patient=Patient/" + here),
                jansen, null);
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(preview.body()).contains("\"id\":\"" + here + "\"").contains("\"name\":\"Test Access\"")
                .contains("\"institution\":\"nl-amstel\"");
        assertThat(AccessFixtures.auditOf("dr.jansen", here)).containsExactly("break-glass-preview:0:ETREAT");

        HttpResponse<String> other = AccessFixtures.send("GET", fx.api("break-glass/preview?patient=" + elsewhere),
                jansen, null);
        HttpResponse<String> none = AccessFixtures.send("GET", fx.api("break-glass/preview?patient=" + nowhere),
                jansen, null);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
        assertThat(other.body()).contains("EHR-0658").isEqualTo(none.body());
        assertThat(AccessFixtures.auditOf("dr.jansen", elsewhere)).containsExactly("break-glass-preview:4:ETREAT");
        assertThat(AccessFixtures.auditOf("dr.jansen", nowhere)).containsExactly("break-glass-preview:4:ETREAT");

        HttpResponse<String> nurse = AccessFixtures.send("GET", fx.api("break-glass/preview?patient=" + here),
                AccessFixtures.token("nurse.visser"), null);
        assertThat(nurse.statusCode()).as(nurse.body()).isEqualTo(403);
        assertThat(nurse.body()).contains("EHR-0320");
    }

    @Test
    void nursesCannotBreakTheGlass() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String patient = fx.patient(jansen, AccessFixtures.newPerson());
        HttpResponse<String> r = AccessFixtures.send("POST", fx.api("break-glass"),
                AccessFixtures.token("nurse.visser"), "{\"patient\":\"Patient/" + patient
                        + "\",\"reason\":\"Unconscious in the emergency room\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("EHR-0320");
        assertThat(AccessFixtures.auditOf("nurse.visser", patient)).containsExactly("break-glass:4:ETREAT");
    }
}
