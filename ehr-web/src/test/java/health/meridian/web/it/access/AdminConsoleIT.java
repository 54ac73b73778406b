package health.meridian.web.it.access;

import static health.meridian.web.it.access.AccessFixtures.send;
import static health.meridian.web.it.access.AccessFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin console's APIs (issue #8): care-team overview and removal of members and patients, what was read
 * during a break-the-glass session, the audit-trail search. Each refusal is tested with the caller that must be
 * refused (the other institution's admin, a clinician, the platform admin), and removal is tested by its effect:
 * the clinician can no longer read the patient.
 */
@ExtendWith(ArquillianExtension.class)
class AdminConsoleIT {

    private static final String REASON = "{\"reason\":\"Unconscious in the emergency room\",\"patient\":\"Patient/";

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

    /** A patient registered and charted by the nurse: Dr Jansen has no care relationship with them yet. */
    private String[] nursesPatient() throws Exception {
        String visser = token("nurse.visser");
        String patient = fx.patient(visser, AccessFixtures.newPerson());
        return new String[] {patient, fx.observation(visser, patient)};
    }

    private String teamWith(String admin, String practitioner, String patient) throws Exception {
        String team = "ward-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send("PUT", fx.api("care-teams/" + team), admin, "{\"name\":\"IT ward " + team + "\"}")
                .statusCode()).isEqualTo(201);
        assertThat(send("POST", fx.api("care-teams/" + team + "/members"), admin, "{\"practitioner\":\""
                + practitioner + "\",\"institution\":\"nl-amstel\",\"role\":\"clinician\"}").statusCode())
                .isEqualTo(201);
        assertThat(send("POST", fx.api("care-teams/" + team + "/patients"), admin,
                "{\"patient\":\"Patient/" + patient + "\"}").statusCode()).isEqualTo(201);
        return team;
    }

    @Test
    void removingAMemberEndsTheirAccessAndOnlyTheOwnAdminMayDoIt() throws Exception {
        String[] p = nursesPatient();
        String admin = token("admin.amstel");
        String jansen = token("dr.jansen");
        String team = teamWith(admin, "prac-nl-jansen", p[0]);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(200);

        HttpResponse<String> overview = send("GET", fx.api("care-teams/overview"), admin, null);
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        assertThat(overview.body()).contains("\"id\":\"" + team + "\"").contains("prac-nl-jansen")
                .contains("\"patient\":\"Patient/" + p[0] + "\"");
        // the team a registration made is named after the nurse (her token's name), not her practitioner id
        assertThat(overview.body()).contains("Patients registered by Sanne Visser")
                .doesNotContain("Patients registered by prac-nl-visser");
        assertThat(send("GET", fx.api("care-teams/overview"), token("admin.spree"), null).body())
                .doesNotContain(team);
        assertThat(send("GET", fx.api("care-teams/overview"), jansen, null).statusCode()).isEqualTo(403);

        String member = "care-teams/" + team + "/members/prac-nl-jansen";
        HttpResponse<String> spree = send("DELETE", fx.api(member), token("admin.spree"), null);
        assertThat(spree.statusCode()).as("another institution's team: " + spree.body()).isEqualTo(404);
        assertThat(spree.body()).contains("EHR-0625");
        HttpResponse<String> clinician = send("DELETE", fx.api(member), jansen, null);
        assertThat(clinician.statusCode()).isEqualTo(403);
        assertThat(clinician.body()).contains("EHR-0626");
        assertThat(send("DELETE", fx.api(member), token("platform.admin"), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode())
                .as("refused removals changed nothing").isEqualTo(200);

        assertThat(send("DELETE", fx.api(member), admin, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode())
                .as("no longer in the care team").isEqualTo(404);
        assertThat(teamOf(send("GET", fx.api("care-teams/overview"), admin, null).body(), team))
                .as("an ended membership is not listed").contains("\"id\":\"" + team + "\"")
                .doesNotContain("prac-nl-jansen");
        HttpResponse<String> again = send("DELETE", fx.api(member), admin, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("EHR-0680");
        assertThat(AccessFixtures.auditOf("admin.amstel", team)).contains("care-team-member-remove:0:null");
    }

    @Test
    void removingAPatientEndsTheTeamsAccessToThem() throws Exception {
        String[] p = nursesPatient();
        String admin = token("admin.amstel");
        String jansen = token("dr.jansen");
        String team = teamWith(admin, "prac-nl-jansen", p[0]);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(200);

        String path = "care-teams/" + team + "/patients/" + p[0];
        assertThat(send("DELETE", fx.api(path), token("admin.spree"), null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", fx.api(path), jansen, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", fx.api(path), token("nurse.visser"), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", fx.api(path), admin, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(404);
        assertThat(teamOf(send("GET", fx.api("care-teams/overview"), admin, null).body(), team))
                .contains("prac-nl-jansen").doesNotContain("Patient/" + p[0] + "\"");
        HttpResponse<String> again = send("DELETE", fx.api(path), admin, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("EHR-0681");
        assertThat(AccessFixtures.auditOf("admin.amstel", team)).contains("care-team-patient-remove:0:null");
        assertThat(AccessFixtures.auditOf("dr.jansen", team)).as("the clinician's attempt: refused, nothing done")
                .containsExactly("care-team-patient-remove:4:null");
    }

    /**
     * ADR 0020: this instance keeps the list of persons in a clinician's care between requests. A patient taken off
     * a team where this instance does not see it (another app node, or straight in the database) may linger in that
     * list for up to a minute — yet no search, read or timeline answers their records a moment longer, because
     * every own-institution hit is confirmed person by person. The removed patient is not the team's newest, so the
     * list's fingerprint does not change and the list is reused: only the confirmation stands in the way.
     */
    @Test
    void aPatientTakenOffATeamElsewhereLeavesEverySearchAtOnce() throws Exception {
        String[] p1 = nursesPatient();
        String[] p2 = nursesPatient();
        String admin = token("admin.amstel");
        String jansen = token("dr.jansen");
        String team = teamWith(admin, "prac-nl-jansen", p1[0]);
        assertThat(send("POST", fx.api("care-teams/" + team + "/patients"), admin,
                "{\"patient\":\"Patient/" + p2[0] + "\"}").statusCode()).isEqualTo(201);
        String across = "Observation?_id=" + p1[1] + "," + p2[1];
        String confined = "Observation?patient=Patient/" + p1[0];
        long deadline = System.currentTimeMillis() + 30_000;
        while (total(jansen, across) < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(250); // the outbox ships the observations to the mirror
        }
        assertThat(total(jansen, across)).as("both in care, both indexed").isEqualTo(2);
        assertThat(total(jansen, confined)).isEqualTo(1);

        try (java.sql.Connection c = AccessFixtures.owner()) {
            c.createStatement().execute("SELECT set_config('app.tenant_id', 'nl-amstel', false)");
            try (java.sql.PreparedStatement s = c.prepareStatement("DELETE FROM care_team_patient WHERE tenant_id ="
                    + " 'nl-amstel' AND team_id = ? AND person_id = (SELECT person_id FROM resource_head WHERE"
                    + " tenant_id = 'nl-amstel' AND resource_type = 'Patient' AND resource_id = ?)")) {
                s.setString(1, team);
                s.setString(2, p1[0]);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
        HttpResponse<String> after = send("GET", fx.fhir(across), jansen, null);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).as("a search across persons (the self link names both ids)")
                .doesNotContain("\"id\":\"" + p1[1] + "\"").contains("\"id\":\"" + p2[1] + "\"");
        assertThat(total(jansen, across)).isEqualTo(1);
        assertThat(total(jansen, confined)).as("a search confined to the patient").isZero();
        assertThat(send("GET", fx.fhir("Observation/" + p1[1]), jansen, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", fx.api("patients/" + p1[0] + "/timeline"), jansen, null).body())
                .doesNotContain("\"" + p1[1] + "\"").doesNotContain("Observation/" + p1[1]);
        assertThat(send("GET", fx.fhir("Observation/" + p2[1]), jansen, null).statusCode())
                .as("the other patient of the team is still in care").isEqualTo(200);
    }

    private int total(String token, String query) throws Exception {
        HttpResponse<String> r = send("GET", fx.fhir(query), token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("total").asInt();
    }

    @Test
    void fieldErrorsCarryTheirCodes() throws Exception {
        String admin = token("admin.amstel");
        HttpResponse<String> badId = send("PUT", fx.api("care-teams/bad%20id"), admin, "{\"name\":\"x\"}");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("EHR-0624");
        String team = "ward-" + UUID.randomUUID().toString().substring(0, 8);
        send("PUT", fx.api("care-teams/" + team), admin, "{\"name\":\"Field errors\"}");
        HttpResponse<String> badRole = send("POST", fx.api("care-teams/" + team + "/members"), admin,
                "{\"practitioner\":\"prac-nl-jansen\",\"institution\":\"nl-amstel\",\"role\":\"surgeon\"}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.body()).contains("EHR-0622");
        HttpResponse<String> unknownPatient = send("POST", fx.api("care-teams/" + team + "/patients"), admin,
                "{\"patient\":\"Patient/does-not-exist\"}");
        assertThat(unknownPatient.statusCode()).isEqualTo(404);
        assertThat(unknownPatient.body()).contains("EHR-0654");
    }

    @Test
    void breakGlassReviewShowsWhatWasReadToTheOwnAdminOnly() throws Exception {
        String[] p = nursesPatient();
        String jansen = token("dr.jansen");
        HttpResponse<String> opened = send("POST", fx.api("break-glass"), jansen, REASON + p[0] + "\"}");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        String session = AccessFixtures.idOf(opened.body());
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(200);

        String admin = token("admin.amstel");
        HttpResponse<String> reads = send("GET", fx.api("break-glass/" + session + "/reads"), admin, null);
        assertThat(reads.statusCode()).as(reads.body()).isEqualTo(200);
        assertThat(reads.body()).contains("\"resource\":\"Observation/" + p[1] + "\"").contains("\"user\":\"dr.jansen\"")
                .contains("\"purpose\":\"ETREAT\"");

        String spree = token("admin.spree");
        assertThat(send("GET", fx.api("break-glass/" + session + "/reads"), spree, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", fx.api("break-glass/" + session + "/review"), spree, null).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", fx.api("break-glass"), spree, null).body()).doesNotContain(session);
        assertThat(send("GET", fx.api("break-glass"), jansen, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", fx.api("break-glass/" + session + "/reads"), jansen, null).statusCode())
                .isEqualTo(403);
        assertThat(send("POST", fx.api("break-glass/" + session + "/review"), jansen, null).statusCode())
                .isEqualTo(403);
        assertThat(send("GET", fx.api("break-glass"), admin, null).body())
                .as("refused reviews marked nothing").contains("\"id\":\"" + session + "\"")
                .doesNotContain("\"reviewedBy\":\"admin.spree\"").doesNotContain("\"reviewedBy\":\"dr.jansen\"");

        HttpResponse<String> reviewed = send("POST", fx.api("break-glass/" + session + "/review"), admin, null);
        assertThat(reviewed.statusCode()).isEqualTo(200);
        assertThat(reviewed.body()).contains("\"reviewedBy\":\"admin.amstel\"");
        assertThat(auditDetails("admin.amstel", session)).contains("break-glass-review", "break-glass-reads");
    }

    @Test
    void auditSearchFiltersPagesAndStaysInTheInstitution() throws Exception {
        String[] p = nursesPatient();
        String jansen = token("dr.jansen");
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(404);
        String admin = token("admin.amstel");
        teamWith(admin, "prac-nl-jansen", p[0]);
        assertThat(send("GET", fx.fhir("Observation/" + p[1]), jansen, null).statusCode()).isEqualTo(200);

        String query = "audit-events?user=dr.jansen&patient=" + p[0] + "&action=R";
        HttpResponse<String> ok = send("GET", fx.api(query + "&outcome=0"), admin, null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"resource\":\"Observation/" + p[1] + "\"").contains("\"outcome\":\"0\"")
                .doesNotContain("\"outcome\":\"4\"");
        HttpResponse<String> refused = send("GET", fx.api(query + "&outcome=4"), admin, null);
        assertThat(refused.body()).contains("\"resource\":\"Observation/" + p[1] + "\"")
                .doesNotContain("\"outcome\":\"0\"");

        HttpResponse<String> first = send("GET", fx.api(query + "&count=1"), admin, null);
        Long next = number(first.body(), "next");
        assertThat(next).as(first.body()).isNotNull();
        assertThat(number(first.body(), "seq")).isEqualTo(next);
        HttpResponse<String> second = send("GET", fx.api(query + "&count=1&before=" + next), admin, null);
        assertThat(number(second.body(), "seq")).isLessThan(next);

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(send("GET", fx.api(query + "&from=" + today + "&to=" + today), admin, null).body())
                .contains("Observation/" + p[1]);
        assertThat(send("GET", fx.api(query + "&to=2000-01-01"), admin, null).body())
                .doesNotContain("Observation/" + p[1]);

        assertThat(send("GET", fx.api(query), token("admin.spree"), null).body())
                .as("another institution's admin").doesNotContain(p[0]);
        assertThat(send("GET", fx.api(query), token("platform.admin"), null).body())
                .as("the platform admin sees platform-level entries only").doesNotContain(p[0]);
        HttpResponse<String> clinician = send("GET", fx.api(query), jansen, null);
        assertThat(clinician.statusCode()).isEqualTo(403);
        assertThat(clinician.body()).contains("EHR-0330");
        HttpResponse<String> badAction = send("GET", fx.api("audit-events?action=X"), admin, null);
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(badAction.body()).contains("EHR-0682");
        assertThat(send("GET", fx.api("audit-events?from=yesterday"), admin, null).body()).contains("EHR-0684");
    }

    @Test
    void onlyThePlatformAdminRegistersInstitutions() throws Exception {
        String body = "{\"name\":\"Console Test Clinic\",\"country\":\"BE\",\"region\":\"eu-west\"}";
        HttpResponse<String> byTenantAdmin = send("PUT", fx.api("tenants/be-console"), token("admin.amstel"), body);
        assertThat(byTenantAdmin.statusCode()).isEqualTo(403);
        HttpResponse<String> created = send("PUT", fx.api("tenants/be-console"), token("platform.admin"), body);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        assertThat(send("GET", fx.api("tenants"), token("platform.admin"), null).body())
                .contains("\"id\":\"be-console\"").contains("Console Test Clinic");
    }

    /**
     * Issue #18: the unauthenticated readiness check tells its status and the names of its checks, no figures (no
     * person count, no outbox depth); the platform admin gets the figures from {@code /api/admin/health}.
     */
    @Test
    void healthFiguresAreForThePlatformAdminOnly() throws Exception {
        String app = health.meridian.web.it.TestStack.app(base);
        HttpResponse<String> anonymous = send("GET", app + "/health/ready", null, null);
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"database\"", "\"search\"", "\"identity\"")
                .doesNotContain("personDocuments", "outboxDepth", "schema", "issuer");
        assertThat(anonymous.body().replace("\"data\":{}", "")).as("no check carries data").doesNotContain("\"data\"");
        HttpResponse<String> details = send("GET", fx.api("admin/health"), token("platform.admin"), null);
        assertThat(details.statusCode()).as(details.body()).isEqualTo(200);
        assertThat(details.body()).contains("\"personDocuments\":", "\"outboxDepth\":", "\"schema\":");
        assertThat(send("GET", fx.api("admin/health"), token("admin.amstel"), null).statusCode()).isEqualTo(403);
        assertThat(send("GET", fx.api("admin/health"), null, null).statusCode()).isEqualTo(401);
    }

    /**
     * Issue #18: registering an institution, verifying (and repairing) the search index and rebuilding it are
     * audited, with their outcome, and the platform admin finds them in their audit search.
     */
    @Test
    void thePlatformAdminsOperationsAreAudited() throws Exception {
        long before = maxSeq();
        String platform = token("platform.admin");
        String body = "{\"name\":\"Console Test Clinic\",\"country\":\"BE\",\"region\":\"eu-west\"}";
        assertThat(send("PUT", fx.api("tenants/be-console"), platform, body).statusCode()).isIn(200, 201);
        HttpResponse<String> verify = send("POST", fx.api("admin/mirror/verify?repair=true"), platform, null);
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        HttpResponse<String> reindex = send("POST", fx.api("admin/mirror/reindex"), platform, null);
        assertThat(reindex.statusCode()).as(reindex.body()).isEqualTo(200);

        assertThat(platformRowsAfter(before)).contains("tenant-register:0:Organization/be-console",
                "mirror-repair:0:started", "mirror-repair:0:done", "mirror-reindex:0:started",
                "mirror-reindex:0:done");
        assertThat(send("GET", fx.api("audit-events?user=platform.admin&count=20"), platform, null).body())
                .contains("\"interaction\":\"mirror-reindex\"", "\"interaction\":\"tenant-register\"");
    }

    private static long maxSeq() throws Exception {
        try (var c = AccessFixtures.owner(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The platform admin's audit rows after {@code seq} as "interaction:outcome:resource or detail's first word". */
    private static java.util.List<String> platformRowsAfter(long seq) throws Exception {
        java.util.List<String> rows = new java.util.ArrayList<>();
        try (var c = AccessFixtures.owner(); var s = c.prepareStatement("SELECT interaction, outcome, resource_type,"
                + " resource_id, detail FROM audit_event WHERE username = 'platform.admin' AND seq > ? ORDER BY seq")) {
            s.setLong(1, seq);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    String what = rs.getString(3) != null ? rs.getString(3) + "/" + rs.getString(4)
                            : String.valueOf(rs.getString(5)).split("[: ]")[0];
                    rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + what);
                }
            }
        }
        return rows;
    }

    /** The JSON of one team in the overview: from its id to the next team's id. */
    private static String teamOf(String overview, String team) {
        int start = overview.indexOf("\"id\":\"" + team + "\"");
        if (start < 0) {
            return "";
        }
        int end = overview.indexOf("\"id\":", start + 1);
        return overview.substring(start, end < 0 ? overview.length() : end);
    }

    private static Long number(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(body);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /** The interactions of the user's audit rows whose detail names {@code detail}. */
    private static java.util.List<String> auditDetails(String username, String detail) throws Exception {
        java.util.List<String> rows = new java.util.ArrayList<>();
        try (var c = AccessFixtures.owner(); var s = c.prepareStatement(
                "SELECT interaction FROM audit_event WHERE username = ? AND detail = ? ORDER BY seq")) {
            s.setString(1, username);
            s.setString(2, detail);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }
}
