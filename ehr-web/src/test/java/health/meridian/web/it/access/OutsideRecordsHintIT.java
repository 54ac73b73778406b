package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outside-records hint with the patient's consent (issue #20, ADR 0033), through the JSON API: the patient's
 * own setting ({@code /api/me/outside-records-hint}, audited, patients only) and the chart's question
 * ({@code /api/patients/{id}/outside-records}): true only with the opt-in and records held at another institution
 * that no grant shows the clinician; otherwise the same bytes whatever is held elsewhere; 404 for a clinician who may
 * not read the patient.
 */
@ExtendWith(ArquillianExtension.class)
class OutsideRecordsHintIT {

    private static final String NO_HINT = "{\"hint\":false}";
    private static final String HINT = "{\"hint\":true}";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;
    private String anna;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(health.meridian.web.it.TestStack.app(base));
        fx.ensureTenants();
        anna = AccessFixtures.token("patient.anna");
        annaSwitchesOff();
    }

    /** Anna is shared with other tests: her setting is left off, as it is by default. */
    @AfterEach
    void annaSwitchesOff() throws Exception {
        AccessFixtures.send("PUT", fx.api("me/outside-records-hint"), anna, "{\"enabled\":false}");
    }

    @Test
    void theHintExistsOnlyWithTheOptInAndRecordsElsewhereThatNoGrantShows() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String mueller = AccessFixtures.token("dr.mueller");
        String person = AccessFixtures.newPerson();
        String here = fx.patient(jansen, person); // first registration anywhere: he cares for her at Amstel
        assertThat(AccessFixtures.send("GET", fx.fhir("Patient/" + here), jansen, null).statusCode()).isEqualTo(200);

        String nothingElsewhere = hintBody(jansen, here);
        assertThat(nothingElsewhere).isEqualTo(NO_HINT);
        optIn(person, true);
        assertThat(hintBody(jansen, here)).as("opted in, nothing elsewhere").isEqualTo(nothingElsewhere);
        optIn(person, false);

        String consent = AccessFixtures.consent(person, "de-spree"); // ADR 0018: Spree links her with her consent
        String there;
        try {
            there = fx.patient(mueller, person);
            fx.observation(mueller, there);
        } finally {
            AccessFixtures.revokeConsent(consent, person);
        }
        assertThat(hintBody(jansen, here)).as("records elsewhere, no opt-in: byte-identical to nothing elsewhere")
                .isEqualTo(nothingElsewhere);

        optIn(person, true);
        assertThat(hintBody(jansen, here)).as("opted in and records elsewhere").isEqualTo(HINT);

        String toAmstel = AccessFixtures.consent(person, "nl-amstel");
        try {
            assertThat(hintBody(jansen, here)).as("a grant shows the outside records: no hint")
                    .isEqualTo(NO_HINT);
            assertThat(AccessFixtures.send("GET", fx.fhir("Patient/" + there), jansen, null).statusCode())
                    .as("the grant shows Spree's record").isEqualTo(200);
        } finally {
            AccessFixtures.revokeConsent(toAmstel, person);
        }
        assertThat(hintBody(jansen, here)).as("the grant revoked").isEqualTo(HINT);

        HttpResponse<String> other = AccessFixtures.send("GET", fx.api("patients/" + here + "/outside-records"),
                mueller, null);
        assertThat(other.statusCode()).as("another institution's clinician: does not exist").isEqualTo(404);
        assertThat(other.body()).contains("EHR-0671").doesNotContain("hint");
        HttpResponse<String> none = AccessFixtures.send("GET", fx.api("patients/no-such-" + person
                + "/outside-records"), jansen, null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(other.body().replace(here, "ID")).isEqualTo(none.body().replace("no-such-" + person, "ID"));
        assertThat(AccessFixtures.send("GET", fx.api("patients/" + here + "/outside-records"),
                AccessFixtures.token("admin.amstel"), null).statusCode()).as("an administrator").isEqualTo(404);

        optIn(person, false);
        assertThat(hintBody(jansen, here)).as("switched off again").isEqualTo(NO_HINT);
        assertThat(AccessFixtures.auditOf("dr.jansen", here)).contains("outside-records:0:TREAT");
        assertThat(AccessFixtures.auditOf("dr.mueller", here)).contains("outside-records:4:null");
    }

    @Test
    void thePatientSwitchesTheHintOnAndOffHerselfAndEachChangeIsAudited() throws Exception {
        String setting = fx.api("me/outside-records-hint");
        HttpResponse<String> off = AccessFixtures.send("GET", setting, anna, null);
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(off.body()).isEqualTo("{\"enabled\":false}");

        HttpResponse<String> on = AccessFixtures.send("PUT", setting, anna, "{\"enabled\":true}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(on.body()).isEqualTo("{\"enabled\":true}");
        assertThat(AccessFixtures.send("GET", setting, anna, null).body()).isEqualTo("{\"enabled\":true}");
        assertThat(AccessFixtures.send("PUT", setting, anna, "{\"enabled\":false}").body())
                .isEqualTo("{\"enabled\":false}");

        HttpResponse<String> bad = AccessFixtures.send("PUT", setting, anna, "{\"on\":true}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("EHR-1210");
        String jansen = AccessFixtures.token("dr.jansen");
        assertThat(AccessFixtures.send("PUT", setting, jansen, "{\"enabled\":true}").statusCode())
                .as("only the patient herself").isEqualTo(403);
        assertThat(AccessFixtures.send("GET", setting, jansen, null).statusCode()).isEqualTo(403);

        assertThat(lastChanges("patient.anna", 2)).containsExactly(
                "U:0:outside-records hint switched off", "U:0:outside-records hint switched on");
        assertThat(lastChanges("dr.jansen", 1)).singleElement().asString().startsWith("U:4:EHR-0740");
    }

    private String hintBody(String token, String patient) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", fx.api("patients/" + patient + "/outside-records"),
                token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The patient's choice as the portal stores it, for a person without a patient account (as consent does). */
    private static void optIn(String person, boolean enabled) throws Exception {
        try (Connection c = AccessFixtures.owner()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('app.person_id', ?, false)")) {
                bind.setString(1, person);
                bind.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO outside_records_hint (person_id, enabled)"
                    + " VALUES (?, ?) ON CONFLICT (person_id) DO UPDATE SET enabled = EXCLUDED.enabled")) {
                s.setString(1, person);
                s.setBoolean(2, enabled);
                s.executeUpdate();
            }
        }
    }

    /** The newest setting changes audited for a user, newest first, as "action:outcome:detail". */
    private static List<String> lastChanges(String username, int n) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement("SELECT action, outcome,"
                + " detail FROM audit_event WHERE username = ? AND interaction = 'outside-records-consent'"
                + " AND action = 'U' ORDER BY seq DESC LIMIT ?")) {
            s.setString(1, username);
            s.setInt(2, n);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
                }
            }
        }
        return rows;
    }
}
