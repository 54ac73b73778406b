package health.meridian.web.it.access;

import static org.assertj.core.api.Assertions.assertThat;

import health.meridian.web.it.AppInstance;
import health.meridian.web.it.TestStack;
import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #21 (ADR 0035): an app instance keeps a clinician's access facts and the institution list across requests,
 * but only at the number of the access-fact counter they were loaded at. A change made behind the app's back — in
 * PostgreSQL as the schema owner, as another instance or an operator would — counts on the very next request: a
 * grant or break-the-glass session made in SQL opens the record at once, one revoked or ended in SQL refuses at once
 * (answered like an unknown id). Each test first reads so that the facts are kept, then changes them elsewhere.
 * Care relations likewise, at their own counter (V31, ADR 0038).
 */
@ExtendWith(ArquillianExtension.class)
class AccessFactChangesIT {

    private static final String ANNA = "person-anna";

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("meridian.war")));
    }

    @ArquillianResource
    URL base;

    private AccessFixtures fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new AccessFixtures(TestStack.app(base));
        fx.ensureTenants();
        fx.ensureInDirectory("dr.mueller");
    }

    @Test
    void aGrantMadeOrRevokedInSqlCountsOnTheVeryNextRead() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        String person = AccessFixtures.newPerson();
        String obs = fx.observation(jansen, fx.patient(jansen, person));
        String mueller = AccessFixtures.token("dr.mueller");
        assertThat(status(fx, "Observation/" + obs, mueller)).as("no grant yet (his facts are now kept)")
                .isEqualTo(404);

        String grant = "it-behind-" + UUID.randomUUID().toString().substring(0, 8);
        sqlAsPerson(person, "INSERT INTO access_grant (id, person_id, grantee_practitioner, scope, purpose, starts_at)"
                + " VALUES (?, ?, 'prac-de-mueller', 'all', 'TREAT', clock_timestamp())", grant, person);
        assertThat(status(fx, "Observation/" + obs, mueller)).as("granted in SQL: at once").isEqualTo(200);

        sqlAsPerson(person, "UPDATE access_grant SET revoked_at = clock_timestamp() WHERE id = ?", grant);
        assertThat(status(fx, "Observation/" + obs, mueller)).as("revoked in SQL: at once").isEqualTo(404);
    }

    @Test
    void aBreakGlassSessionOpenedOrEndedInSqlCountsOnTheVeryNextRead() throws Exception {
        String visser = AccessFixtures.token("nurse.visser");
        String person = AccessFixtures.newPerson();
        String patient = fx.patient(visser, person);
        String obs = fx.observation(visser, patient);
        String jansen = AccessFixtures.token("dr.jansen");
        assertThat(status(fx, "Observation/" + obs, jansen)).as("outside his care (his facts are now kept)")
                .isEqualTo(404);

        String session = UUID.randomUUID().toString();
        sqlAtAmstel("INSERT INTO break_glass_session (id, tenant_id, practitioner_id, subject, person_id, patient_ref,"
                + " reason, started_at, expires_at) VALUES (?, 'nl-amstel', 'prac-nl-jansen', 'it-behind', ?, ?,"
                + " 'Opened behind the application''s back', clock_timestamp() - interval '1 minute',"
                + " clock_timestamp() + interval '1 hour')", session, person, "Patient/" + patient);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("opened in SQL: at once").isEqualTo(200);

        sqlAtAmstel("UPDATE break_glass_session SET expires_at = clock_timestamp() WHERE id = ?", session);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("ended in SQL: at once").isEqualTo(404);
    }

    @Test
    void aShareCodeWithdrawnInSqlRefusesTheSummaryOnTheVeryNextRead() throws Exception {
        String anna = AccessFixtures.token("patient.anna");
        fx.patient(AccessFixtures.token("dr.jansen"), ANNA);
        // codes of Anna's that other classes had dr.mueller redeem (PortalAppIT's is valid for hours) would keep her
        // summary open to him whatever happens to this one: withdrawn first, so this code is his only way in
        sqlAsPerson(ANNA, -1, "UPDATE share_code SET revoked_at = clock_timestamp() WHERE revoked_at IS NULL"
                + " AND person_id = '" + ANNA + "'");
        HttpResponse<String> issued = AccessFixtures.send("POST", fx.api("share-codes"), anna, "{}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String code = field(issued.body(), "code");
        String mueller = AccessFixtures.token("dr.mueller");
        HttpResponse<String> redeemed = AccessFixtures.send("POST", fx.api("share-codes/redeem"), mueller,
                "{\"code\":\"" + code + "\"}");
        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
        String summary = field(redeemed.body(), "patient") + "/$summary";
        assertThat(status(fx, summary, mueller)).as("redeemed (his facts are now kept)").isEqualTo(200);

        sqlAsPerson(ANNA, "UPDATE share_code SET revoked_at = clock_timestamp() WHERE id = ?",
                field(issued.body(), "id"));
        assertThat(status(fx, summary, mueller)).as("withdrawn in SQL: at once").isEqualTo(404);
    }

    /**
     * Care relations (V31, ADR 0038) are kept the same way, at their own counter: a patient put on a clinician's team
     * in SQL opens the record and the search at once; taken off the team, or the clinician's membership ended, in SQL
     * refuses them at once — although his relations were kept from the request before each change.
     */
    @Test
    void aCareTeamChangedInSqlCountsOnTheVeryNextReadAndSearch() throws Exception {
        String visser = AccessFixtures.token("nurse.visser");
        String person = AccessFixtures.newPerson();
        String patient = fx.patient(visser, person);
        String obs = fx.observation(visser, patient);
        String jansen = AccessFixtures.token("dr.jansen");
        String search = "Observation?patient=Patient/" + patient;
        long deadline = System.currentTimeMillis() + 20_000;
        while (total(fx, search, visser) < 1) { // in the search mirror (found by the nurse who registered her)
            assertThat(System.currentTimeMillis()).as("the observation searchable in 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(status(fx, "Observation/" + obs, jansen)).as("outside his care (his relations are now kept)")
                .isEqualTo(404);
        assertThat(total(fx, search, jansen)).isZero();

        String team = "it-behind-" + UUID.randomUUID().toString().substring(0, 8);
        sqlAtAmstel("INSERT INTO care_team (tenant_id, id, name) VALUES ('nl-amstel', ?, 'Made behind the app')", team);
        sqlAtAmstel("INSERT INTO care_team_member (tenant_id, team_id, practitioner_id, member_tenant_id, role,"
                + " period_start) VALUES ('nl-amstel', ?, 'prac-nl-jansen', 'nl-amstel', 'clinician',"
                + " clock_timestamp() - interval '1 minute')", team);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("a member of a team without her: still refused")
                .isEqualTo(404);
        sqlAtAmstel("INSERT INTO care_team_patient (tenant_id, team_id, person_id) VALUES ('nl-amstel', ?, ?)",
                team, person);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("put on his team in SQL: at once").isEqualTo(200);
        assertThat(total(fx, search, jansen)).as("and found by his search").isEqualTo(1);

        sqlAtAmstel("DELETE FROM care_team_patient WHERE tenant_id = 'nl-amstel' AND team_id = ? AND person_id = ?",
                team, person);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("taken off his team in SQL: at once").isEqualTo(404);
        assertThat(total(fx, search, jansen)).as("and no longer found").isZero();

        sqlAtAmstel("INSERT INTO care_team_patient (tenant_id, team_id, person_id) VALUES ('nl-amstel', ?, ?)",
                team, person);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("put back").isEqualTo(200);
        sqlAtAmstel("UPDATE care_team_member SET period_end = clock_timestamp() WHERE tenant_id = 'nl-amstel'"
                + " AND team_id = ? AND practitioner_id = 'prac-nl-jansen'", team);
        assertThat(status(fx, "Observation/" + obs, jansen)).as("his membership ended in SQL: at once")
                .isEqualTo(404);
        assertThat(total(fx, search, jansen)).isZero();
    }

    @Test
    void anInstitutionRegisteredInSqlIsListedOnTheVeryNextRequest() throws Exception {
        String jansen = AccessFixtures.token("dr.jansen");
        assertThat(AccessFixtures.send("GET", fx.api("tenants"), jansen, null).statusCode()).isEqualTo(200);
        String id = "it-registry-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = AccessFixtures.owner(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO tenant (id, name, country, region) VALUES (?, 'Registered behind the app', 'NL',"
                        + " 'eu-west')")) {
            s.setString(1, id);
            s.executeUpdate();
        }
        assertThat(AccessFixtures.send("GET", fx.api("tenants"), jansen, null).body()).contains("\"" + id + "\"");
    }

    /**
     * Two app instances on one database: a session opened and a grant revoked through the second instance count on
     * the first one's very next request, although the first one kept the clinician's facts from the request before.
     */
    @Test
    void aChangeThroughAnotherInstanceCountsOnTheVeryNextRequestHere() throws Exception {
        try (AppInstance second = AppInstance.start(base, "access-facts", Map.of())) {
            AccessFixtures there = new AccessFixtures(second.app());
            String visser = AccessFixtures.token("nurse.visser");
            String person = AccessFixtures.newPerson();
            String patient = fx.patient(visser, person);
            String obs = fx.observation(visser, patient);
            String jansen = AccessFixtures.token("dr.jansen");
            assertThat(status(fx, "Observation/" + obs, jansen)).isEqualTo(404);
            HttpResponse<String> opened = AccessFixtures.send("POST", there.api("break-glass"), jansen,
                    "{\"patient\":\"Patient/" + patient + "\",\"reason\":\"Unconscious in the emergency room\"}");
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
            assertThat(status(fx, "Observation/" + obs, jansen)).as("opened there, read here").isEqualTo(200);

            String anna = AccessFixtures.token("patient.anna");
            String annas = fx.observation(jansen, fx.patient(jansen, ANNA));
            String mueller = AccessFixtures.token("dr.mueller");
            HttpResponse<String> granted = AccessFixtures.send("POST", there.api("grants"), anna,
                    "{\"practitioner\":\"prac-de-mueller\",\"confirmCrossBorder\":true,\"scope\":\"all\","
                            + "\"purpose\":\"TREAT\"}");
            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
            assertThat(status(fx, "Observation/" + annas, mueller)).as("granted there, read here").isEqualTo(200);
            assertThat(AccessFixtures.send("DELETE", there.api("grants/" + AccessFixtures.idOf(granted.body())),
                    anna, null).statusCode()).isEqualTo(200);
            assertThat(status(fx, "Observation/" + annas, mueller)).as("revoked there, refused here").isEqualTo(404);
        }
    }

    private static int status(AccessFixtures at, String path, String token) throws Exception {
        return AccessFixtures.send("GET", at.fhir(path), token, null).statusCode();
    }

    /** The total of a search's searchset Bundle. */
    private static int total(AccessFixtures at, String search, String token) throws Exception {
        HttpResponse<String> r = AccessFixtures.send("GET", at.fhir(search), token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(r.body());
        assertThat(m.find()).as("total in " + r.body()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    /** As the schema owner (another instance, an operator) with the person bound (RLS is forced for the owner). */
    private static void sqlAsPerson(String person, String sql, String... values) throws SQLException {
        sql("app.person_id", person, 1, sql, values);
    }

    /** As {@link #sqlAsPerson}, expecting {@code rows} changed rows (-1: any number, none included). */
    private static void sqlAsPerson(String person, int rows, String sql, String... values) throws SQLException {
        sql("app.person_id", person, rows, sql, values);
    }

    private static void sqlAtAmstel(String sql, String... values) throws SQLException {
        sql("app.tenant_id", "nl-amstel", 1, sql, values);
    }

    private static void sql(String setting, String value, int rows, String sql, String... values)
            throws SQLException {
        try (Connection c = AccessFixtures.owner()) {
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config(?, ?, false)")) {
                bind.setString(1, setting);
                bind.setString(2, value);
                bind.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setString(i + 1, values[i]);
                }
                int changed = s.executeUpdate();
                if (rows >= 0) {
                    assertThat(changed).as(sql).isEqualTo(rows);
                }
            }
        }
    }
}
